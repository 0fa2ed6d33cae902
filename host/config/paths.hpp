// host/config/paths.hpp — where AutoMuse keeps things, per the XDG base directory spec:
// configuration under $XDG_CONFIG_HOME/automuse, data (database, cache, logs, user plugins)
// under $XDG_DATA_HOME/automuse.
#pragma once

#include <filesystem>

namespace automuse::config {

std::filesystem::path config_home();          // $XDG_CONFIG_HOME/automuse or ~/.config/automuse
std::filesystem::path data_home();            // $XDG_DATA_HOME/automuse or ~/.local/share/automuse
std::filesystem::path user_plugin_dir();      // data_home()/plugins
std::filesystem::path default_config_file();  // config_home()/automuse.json

// Create `dir` and its parents with owner-only permissions for the parts it creates.
void create_private_dirs(const std::filesystem::path &dir);

// Write `contents` to `path` atomically (core/atomic_file.hpp: an exclusive temporary file
// in the same folder, fsync, rename), creating the folder owner-only if it is missing.
// `mode` is applied to the temporary file before the rename. Throws std::runtime_error
// naming the path on failure.
void write_file_atomically(const std::filesystem::path &path, std::string_view contents,
                           std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                         std::filesystem::perms::owner_write);

}  // namespace automuse::config
