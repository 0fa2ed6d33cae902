// tests/layering/inputs.cpp: compile_commands.json (Boost.JSON), ninja's deps listing, and
// commands run through popen.
#include "inputs.hpp"

#include <sys/wait.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace layering {
namespace {

// The words of a compile command as the shell would split them (CMake quotes with "" and \).
std::vector<std::string> shell_words(const std::string &command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (quote == 0 && (c == ' ' || c == '\t' || c == '\n')) {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\' && quote != '\'' && i + 1 < command.size()) {
      word += command[++i];
    } else if ((c == '"' || c == '\'') && (quote == 0 || quote == c)) {
      quote = quote == 0 ? c : 0;
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::vector<std::string> arguments_of(const json::object &entry) {
  if (auto *args = entry.if_contains("arguments")) {
    std::vector<std::string> words;
    for (const auto &arg : args->as_array()) words.emplace_back(arg.as_string());
    return words;
  }
  return shell_words(std::string(entry.at("command").as_string()));
}

CompileUnit unit_of(const json::object &entry) {
  fs::path directory(std::string(entry.at("directory").as_string()));
  auto at_directory = [&](const std::string &p) {
    return (fs::path(p).is_absolute() ? fs::path(p) : directory / p).lexically_normal();
  };
  CompileUnit unit;
  unit.source = at_directory(std::string(entry.at("file").as_string()));
  auto words = arguments_of(entry);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto &w = words[i];
    for (std::string_view flag : {"-isystem", "-iquote", "-idirafter", "-I", "-o"}) {
      if (!w.starts_with(flag)) continue;
      std::string value = w.size() > flag.size() ? w.substr(flag.size())
                          : i + 1 < words.size() ? words[++i]
                                                 : "";
      if (flag == "-o")
        unit.object = at_directory(value);
      else
        unit.include_dirs.push_back(at_directory(value));
      break;
    }
  }
  if (unit.object.empty())
    throw InputError("compile_commands.json: no -o in the command for " + unit.source.string());
  return unit;
}

}  // namespace

std::string read_text_file(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<CompileUnit> read_compile_commands(const fs::path &file) {
  if (!fs::exists(file))
    throw InputError(file.string() +
                     ": missing (configure with CMAKE_EXPORT_COMPILE_COMMANDS ON and build)");
  json::value doc;
  try {
    doc = json::parse(read_text_file(file));
  } catch (const std::exception &e) {
    throw InputError(file.string() + ": not JSON: " + e.what());
  }
  if (!doc.is_array() || doc.as_array().empty())
    throw InputError(file.string() + ": not a non-empty array of compile commands");
  std::vector<CompileUnit> units;
  for (const auto &entry : doc.as_array()) {
    try {
      units.push_back(unit_of(entry.as_object()));
    } catch (const InputError &) {
      throw;
    } catch (const std::exception &e) {
      throw InputError(file.string() + ": an entry lacks directory, file or command: " + e.what());
    }
  }
  return units;
}

std::map<fs::path, ObjectDeps> parse_ninja_deps(const std::string &listing,
                                                const fs::path &build_dir) {
  std::map<fs::path, ObjectDeps> deps;
  ObjectDeps *current = nullptr;
  std::istringstream lines(listing);
  auto at_build = [&](const std::string &p) {
    return (fs::path(p).is_absolute() ? fs::path(p) : build_dir / p).lexically_normal();
  };
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    if (line.starts_with("    ")) {
      if (current) current->files.push_back(at_build(line.substr(4)));
      continue;
    }
    // "render/.../ass_subtitles.cpp.o: #deps 269, deps mtime 1796... (VALID)"
    auto colon = line.find(": #deps ");
    if (colon == std::string::npos) continue;
    current = &deps[at_build(line.substr(0, colon))];
    current->up_to_date = line.ends_with("(VALID)");
  }
  return deps;
}

std::string shell_quote(const std::string &text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string command_output(const std::string &command) {
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw InputError("cannot run: " + command);
  std::string output;
  std::array<char, 65536> buffer;
  while (auto n = std::fread(buffer.data(), 1, buffer.size(), pipe.get()))
    output.append(buffer.data(), n);
  int status = pclose(pipe.release());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw InputError("failed (exit " +
                     std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                     "): " + command);
  return output;
}

}  // namespace layering
