// host/plugins/plugin_finder.cpp — search folders and candidate files.
#include "plugins/plugin_finder.hpp"

#include "config/paths.hpp"
#include "plugins/build_paths.hpp"  // generated

#include <algorithm>

namespace automuse::plugins {
namespace fs = std::filesystem;

fs::path bundled_plugin_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / kInstallPluginDir;
    if (fs::is_directory(installed, ec)) return installed;
  }
  return fs::path(kBuildPluginDir);
}

std::vector<fs::path> search_dirs(const std::optional<fs::path> &plugin_dir_option) {
  std::vector<fs::path> dirs;
  if (plugin_dir_option) dirs.push_back(*plugin_dir_option);
  dirs.push_back(config::user_plugin_dir());
  dirs.push_back(bundled_plugin_dir());
  return dirs;
}

std::vector<fs::path> candidate_files(const std::vector<fs::path> &dirs) {
  std::vector<fs::path> out;
  for (const auto &dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> here;
    for (const auto &e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".so" && e.is_regular_file(ec)) here.push_back(e.path());
    std::sort(here.begin(), here.end());
    out.insert(out.end(), here.begin(), here.end());
  }
  return out;
}

}  // namespace automuse::plugins
