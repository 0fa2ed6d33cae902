// tests/layering/folder_cycles.hpp: cycles among the host's folders (host/a uses host/b and
// host/b uses host/a, or longer), each reported as its shortest loop with the includes that
// draw it.
#pragma once

#include "include_checks.hpp"
#include "violations.hpp"

namespace layering {

void check_folder_cycles(const FolderGraph &graph, Violations &violations);

}  // namespace layering
