// host/plugins/plugin_resolution.cpp — folder precedence, duplicates and load failures.
#include "plugins/plugin_resolution.hpp"

#include "plugins/plugin_finder.hpp"

namespace automuse::plugins {
namespace fs = std::filesystem;

namespace {

bool same_file(const fs::path &a, const fs::path &b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

}  // namespace

std::vector<PluginFile> read_plugin_files(const std::vector<fs::path> &folders,
                                          const FileReader &read) {
  std::vector<PluginFile> out;
  for (size_t i = 0; i < folders.size(); ++i)
    for (const auto &file : candidate_files({folders[i]})) {
      PluginFile f = read(file);
      f.path = file;
      f.folder = i;
      out.push_back(std::move(f));
    }
  return out;
}

std::string Resolution::Use::note() const {
  if (shadowed.empty()) return "";
  std::string others;
  for (const auto &p : shadowed) others += (others.empty() ? "" : " and ") + p.string();
  return "using " + path.string() + ", which takes precedence over " + others;
}

std::vector<std::string> Resolution::problems_for(const std::string &id) const {
  std::vector<std::string> out;
  for (const auto &p : problems)
    if (p.id.empty() || p.id == id) out.push_back(p.message);
  return out;
}

Resolution resolve_plugins(const std::vector<PluginFile> &files) {
  Resolution r;
  std::map<std::string, const PluginFile *> first;  // by id: the file in use
  for (const auto &f : files) {
    if (!f.loaded()) {
      r.problems.push_back({f.id.value_or(""), f.error});
      continue;
    }
    const std::string &id = *f.id;
    auto it = first.find(id);
    if (it == first.end()) {
      first.emplace(id, &f);
      r.used[id].path = f.path;
      continue;
    }
    const PluginFile &used = *it->second;
    if (same_file(used.path, f.path)) continue;  // one folder given twice, or a link
    if (used.folder == f.folder) {
      r.problems.push_back({id, "duplicate plugin id '" + id + "': " + used.path.string() +
                                    " and " + f.path.string() +
                                    " are in the same folder (remove one)"});
    } else {
      r.used[id].shadowed.push_back(f.path);
    }
  }
  return r;
}

}  // namespace automuse::plugins
