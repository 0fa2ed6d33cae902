// tests/layering/library_checks.cpp: plugin imports and needed libraries against the rules.
#include "library_checks.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "inputs.hpp"

namespace layering {
namespace {

constexpr const char *kCheck = "plugin libraries (nm -D, readelf -d)";

std::string demangle(const std::string &mangled) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> name(
      abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), &std::free);
  return status == 0 && name ? name.get() : mangled;
}

// "                 U _ZNSt8ios_base4InitC1Ev@GLIBCXX_3.4" -> "_ZNSt8ios_base4InitC1Ev"
std::vector<std::string> undefined_symbols(const std::string &nm_listing) {
  std::vector<std::string> symbols;
  std::istringstream lines(nm_listing);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string kind, symbol;
    if (!(words >> kind >> symbol) || (kind != "U" && kind != "w" && kind != "v")) continue;
    symbols.push_back(symbol.substr(0, symbol.find('@')));
  }
  return symbols;
}

// " 0x0000000000000001 (NEEDED)  Shared library: [libboost_json.so.1.81.0]" -> the soname
std::vector<std::string> needed_libraries(const std::string &readelf_listing) {
  std::vector<std::string> needed;
  std::istringstream lines(readelf_listing);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(NEEDED)") == std::string::npos) continue;
    auto open = line.find('['), close = line.rfind(']');
    if (open != std::string::npos && close > open)
      needed.push_back(line.substr(open + 1, close - open - 1));
  }
  return needed;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// The folder whose target links `binary`: the owner of its objects ("<folder>/CMakeFiles/
// <target>.dir/"), the target named as the file ("automuse-host") or without "lib" ("afm").
Place linking_folder(const std::string &binary, const std::vector<std::string> &inputs,
                     const RepoMap &repo) {
  auto stem = std::filesystem::path(binary).stem().string();
  std::vector<std::string> targets{stem};
  if (stem.starts_with("lib")) targets.push_back(stem.substr(3));
  for (const auto &target : targets)
    for (const auto &input : inputs)
      if (input.find("CMakeFiles/" + target + ".dir/") != std::string::npos)
        return repo.owner_of(input, input);
  throw InputError(binary + ": ninja lists no object of its own target among its inputs");
}

}  // namespace

void check_link_inputs(const std::string &binary, const std::string &inputs_listing,
                       const RepoMap &repo, Violations &violations) {
  auto inputs = lines_of(inputs_listing);
  auto user = linking_folder(binary, inputs, repo);
  std::map<std::string, std::string> first_input_of_folder;  // one line per folder linked in
  for (const auto &input : inputs) {
    // Phony targets of CMake's ("cmake_object_order_depends_target_afm") are no files.
    if (input.find('/') == std::string::npos) continue;
    auto used = repo.owner_of(input, input);
    if (!broken_rule(user, used)) continue;
    first_input_of_folder.try_emplace(used.folder, repo.display(input));
  }
  for (const auto &[folder, input] : first_input_of_folder)
    violations.add({"linked inputs (ninja -t inputs)", repo.display(binary), user.folder,
                    "code of " + folder + " linked in (" + input + ")",
                    *broken_rule(user, repo.owner_of(input, input))});
}

void check_plugin_library(const std::string &library, const std::string &nm_listing,
                          const std::string &readelf_listing, const PluginNames &plugins,
                          Violations &violations) {
  for (const auto &symbol : undefined_symbols(nm_listing)) {
    auto readable = demangle(symbol);
    if (auto rule = forbidden_plugin_import(symbol, readable, plugins))
      violations.add({kCheck, library, library, "symbol " + readable, *rule});
  }
  for (const auto &soname : needed_libraries(readelf_listing)) {
    if (auto rule = forbidden_plugin_needed(soname, plugins))
      violations.add({kCheck, library, library, "library " + soname, *rule});
  }
}

void check_host_executable(const std::string &executable, const std::string &readelf_listing,
                           const PluginNames &plugins, Violations &violations) {
  for (const auto &soname : needed_libraries(readelf_listing)) {
    if (auto rule = forbidden_host_needed(soname, plugins))
      violations.add(
          {"host executable (readelf -d)", executable, executable, "library " + soname, *rule});
  }
}

}  // namespace layering
