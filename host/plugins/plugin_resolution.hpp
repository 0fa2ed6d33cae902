// host/plugins/plugin_resolution.hpp — which file provides each plugin id: one answer, used
// by `plugins list` and by a run alike. The search folders are read in order (--plugin-dir,
// the user's plugin folder, the bundled one); a plugin id found in an earlier folder takes
// precedence over copies in later ones, and says so. A file that cannot be loaded is never
// skipped quietly: it is a problem that stops its plugin — or, when it cannot even tell which
// plugin it is, every plugin — from running. Two files with one id in the same folder are a
// problem too: neither is preferred.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace automuse::plugins {

// One plugin file as read (by loading it in process, or by a probe in a child process).
struct PluginFile {
  std::filesystem::path path;
  size_t folder = 0;              // its search folder's index: lower takes precedence
  std::optional<std::string> id;  // known when the file could be read far enough
  std::string error;              // empty when it loaded; else one line naming file and cause
  bool loaded() const { return error.empty(); }
};

// What a reader says about one file.
using FileReader = std::function<PluginFile(const std::filesystem::path &)>;

// Every "*.so" of the folders, read with `read`, in search order.
std::vector<PluginFile> read_plugin_files(const std::vector<std::filesystem::path> &folders,
                                          const FileReader &read);

struct Resolution {
  struct Use {
    std::filesystem::path path;                   // the file used for the id
    std::vector<std::filesystem::path> shadowed;  // copies in later folders, not used
    std::string note() const;  // "plugin 'x': using A, which takes precedence over B" or ""
  };
  std::map<std::string, Use> used;  // by plugin id

  // A problem: one line naming the file(s) and the cause; `id` empty when the file could not
  // tell which plugin it is (it then concerns every id).
  struct Problem {
    std::string id;
    std::string message;
  };
  std::vector<Problem> problems;

  // The problems that stop plugin `id` from running.
  std::vector<std::string> problems_for(const std::string &id) const;
};

Resolution resolve_plugins(const std::vector<PluginFile> &files);

}  // namespace automuse::plugins
