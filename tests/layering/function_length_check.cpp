// tests/layering/function_length_check.cpp: no production function (host/, plugins/, render/,
// sdk/) is longer than 150 lines. Universal Ctags finds every function definition with its
// first and last line; a missing ctags, or a ctags that finds nothing, fails the test.
//
//   function_length_check --source-dir S [--ctags-listing FILE]
// (a saved listing, in the format "%N %F %n %e", stands in for running ctags in tests).
#include <filesystem>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "inputs.hpp"

namespace fs = std::filesystem;
using namespace layering;

namespace {

constexpr int kMaxLines = 150;
constexpr const char *kProductionFolders = "host plugins render sdk";

struct Function {
  std::string name, file;
  int first = 0, last = 0;
  int lines() const { return last - first + 1; }
};

std::string ctags_listing(const fs::path &source_dir) {
  return command_output("cd " + shell_quote(source_dir.string()) +
                        " && ctags -R --languages=C,C++ --kinds-C++=f --kinds-C=f"
                        " --fields=+ne -x --_xformat='%N %F %n %e' " +
                        kProductionFolders);
}

std::vector<Function> parse(const std::string &listing) {
  std::vector<Function> functions;
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    // "%N %F %n %e"; a name may hold spaces ("operator ()"), so read from the end.
    std::istringstream words(line);
    std::vector<std::string> fields{std::istream_iterator<std::string>(words), {}};
    if (fields.size() < 4)
      throw InputError("ctags gave a line without a name, file, start and end: " + line);
    Function f;
    auto n = fields.size();
    f.file = fields[n - 3];
    try {
      f.first = std::stoi(fields[n - 2]);
      f.last = std::stoi(fields[n - 1]);
    } catch (const std::exception &) {
      throw InputError("ctags gave a line without a start and end line: " + line);
    }
    for (std::size_t i = 0; i + 3 < n; ++i) f.name += (i ? " " : "") + fields[i];
    functions.push_back(f);
  }
  if (functions.empty()) throw InputError("ctags found no function at all");
  return functions;
}

}  // namespace

int main(int argc, char **argv) {
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    fs::path source_dir, saved;
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
      if (args[i] == "--source-dir")
        source_dir = args[i + 1];
      else if (args[i] == "--ctags-listing")
        saved = args[i + 1];
      else
        throw InputError("unknown argument: " + args[i]);
    }
    if (source_dir.empty()) throw InputError("--source-dir is required");
    auto functions = parse(saved.empty() ? ctags_listing(source_dir) : read_text_file(saved));
    int too_long = 0;
    for (const auto &f : functions) {
      if (f.lines() <= kMaxLines) continue;
      ++too_long;
      std::cout << f.file << ':' << f.first << ": " << f.name << " is " << f.lines()
                << " lines (limit " << kMaxLines << ")\n";
    }
    std::cout << functions.size() << " functions in " << kProductionFolders << ", " << too_long
              << " over " << kMaxLines << " lines\n";
    return too_long ? 1 : 0;
  } catch (const InputError &e) {
    std::cerr << "function_length_check: " << e.what()
              << " (is universal-ctags installed? scripts/packages.sh lists it)\n";
    return 2;
  }
}
