// tests/layering/include_checks.cpp: include directories and headers against the rules.
#include "include_checks.hpp"

#include "rules.hpp"

namespace layering {
namespace {

// The SDK's own generated units are checked by their headers only: their include
// directories are those of the test folder that generates them.
bool checks_include_dirs(const Place &user) {
  return user.layer != Layer::sdk;
}

void add_host_edge(const Place &user, const Place &used, const std::string &evidence,
                   FolderGraph &graph) {
  if (user.layer != Layer::host || used.layer != Layer::host) return;
  if (user.folder == used.folder || user.folder == "host" || used.folder == "host") return;
  graph[user.folder].try_emplace(used.folder, evidence);
}

// The unit's source, and the folder of the target that built it when that is another folder.
std::string describe(const CompileUnit &unit, const Place &owner, const RepoMap &repo) {
  auto source = repo.display(unit.source);
  if (repo.place_of(unit.source).folder == owner.folder) return source;
  return source + " (built by " + owner.folder + ")";
}

}  // namespace

void check_include_dirs(const std::vector<CompileUnit> &units, const RepoMap &repo,
                        Violations &violations) {
  for (const auto &unit : units) {
    auto user = repo.owner_of(unit.source, unit.object);
    if (!checks_include_dirs(user)) continue;
    if (auto rule = broken_rule(user, repo.place_of(unit.source)))
      violations.add({"sources compiled (compile_commands.json)", repo.display(unit.object),
                      user.folder, "source " + repo.display(unit.source), *rule});
    for (const auto &dir : unit.include_dirs) {
      if (auto rule = broken_rule(user, repo.place_of(dir)))
        violations.add({"include directories (compile_commands.json)", describe(unit, user, repo),
                        user.folder, "include dir " + repo.display(dir), *rule});
    }
  }
}

void check_headers(const std::vector<CompileUnit> &units,
                   const std::map<std::filesystem::path, ObjectDeps> &deps, const RepoMap &repo,
                   Violations &violations, FolderGraph &host_graph) {
  std::vector<std::string> not_built;
  for (const auto &unit : units) {
    auto found = deps.find(unit.object);
    if (found == deps.end() || !found->second.up_to_date) {
      not_built.push_back(repo.display(unit.object));
      continue;
    }
    auto user = repo.owner_of(unit.source, unit.object);
    auto source = describe(unit, user, repo);
    for (const auto &file : found->second.files) {
      if (file == unit.source) continue;
      auto used = repo.place_of(file);
      auto header = repo.display(file);
      if (auto rule = broken_rule(user, used))
        violations.add({"headers read (ninja deps)", source, user.folder, header, *rule});
      add_host_edge(user, used, source + ": " + header, host_graph);
    }
  }
  if (!not_built.empty()) {
    std::string message = std::to_string(not_built.size()) +
                          " object(s) have no up-to-date entry in ninja's dependency log "
                          "(run the full build first), e.g.:";
    for (std::size_t i = 0; i < not_built.size() && i < 5; ++i) message += "\n  " + not_built[i];
    throw InputError(message);
  }
}

}  // namespace layering
