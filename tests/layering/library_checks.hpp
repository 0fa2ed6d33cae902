// tests/layering/library_checks.hpp: what the linked libraries show — each plugin's undefined
// dynamic symbols (`nm -D --undefined-only`) and DT_NEEDED entries (`readelf -d`), and the
// host executable's DT_NEEDED entries.
#pragma once

#include <string>

#include "rules.hpp"
#include "violations.hpp"

namespace layering {

// `nm_listing` and `readelf_listing` are the outputs of the two tools for `library`.
void check_plugin_library(const std::string &library, const std::string &nm_listing,
                          const std::string &readelf_listing, const PluginNames &plugins,
                          Violations &violations);

void check_host_executable(const std::string &executable, const std::string &readelf_listing,
                           const PluginNames &plugins, Violations &violations);

}  // namespace layering
