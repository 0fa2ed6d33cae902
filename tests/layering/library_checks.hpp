// tests/layering/library_checks.hpp: what the linked libraries show — each plugin's undefined
// dynamic symbols (`nm -D --undefined-only`) and DT_NEEDED entries (`readelf -d`), and the
// host executable's DT_NEEDED entries; and what ninja linked into each of them.
#pragma once

#include <string>

#include "layers.hpp"
#include "rules.hpp"
#include "violations.hpp"

namespace layering {

// `nm_listing` and `readelf_listing` are the outputs of the two tools for `library`.
void check_plugin_library(const std::string &library, const std::string &nm_listing,
                          const std::string &readelf_listing, const PluginNames &plugins,
                          Violations &violations);

void check_host_executable(const std::string &executable, const std::string &readelf_listing,
                           const PluginNames &plugins, Violations &violations);

// Every file of the repository that `ninja -t inputs` lists for `binary` (its sources,
// objects and static libraries) against the rules of the folder that defines the binary's
// target; a plugin linking another plugin's static library breaks them.
void check_link_inputs(const std::string &binary, const std::string &inputs_listing,
                       const RepoMap &repo, Violations &violations);

}  // namespace layering
