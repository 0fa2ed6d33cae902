// tests/layering/include_checks.hpp: the layering of what each object was compiled with —
// its include directories (compile_commands.json) and the headers it really read (ninja's
// dependency log) — and the graph of host folders that the headers draw.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "inputs.hpp"
#include "layers.hpp"
#include "violations.hpp"

namespace layering {

// host/<a> -> host/<b> -> one example "source: header" that draws the edge.
using FolderGraph = std::map<std::string, std::map<std::string, std::string>>;

void check_include_dirs(const std::vector<CompileUnit> &units, const RepoMap &repo,
                        Violations &violations);

// Checks every unit's headers; throws InputError naming the objects that have no up-to-date
// entry in the dependency log (the build has not run, or not fully). Fills `host_graph`.
void check_headers(const std::vector<CompileUnit> &units,
                   const std::map<std::filesystem::path, ObjectDeps> &deps, const RepoMap &repo,
                   Violations &violations, FolderGraph &host_graph);

}  // namespace layering
