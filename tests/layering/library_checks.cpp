// tests/layering/library_checks.cpp: plugin imports and needed libraries against the rules.
#include "library_checks.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

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

}  // namespace

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
