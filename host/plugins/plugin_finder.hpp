// host/plugins/plugin_finder.hpp — where plugins are looked for, in order: --plugin-dir,
// then $XDG_DATA_HOME/automuse/plugins, then the install's own plugin folder. Which file is
// used for an id is decided in plugin_resolution.hpp.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

namespace automuse::plugins {

// The search folders in order; missing folders are skipped later, not here.
std::vector<std::filesystem::path> search_dirs(
    const std::optional<std::filesystem::path> &plugin_dir_option);

// Every "*.so" file in the folders, folder order first, then by name.
std::vector<std::filesystem::path> candidate_files(const std::vector<std::filesystem::path> &dirs);

// The install's own plugin folder: <exe>/../lib/automuse/plugins, or, in a build tree, the
// folder the build puts bundled plugins in.
std::filesystem::path bundled_plugin_dir();

}  // namespace automuse::plugins
