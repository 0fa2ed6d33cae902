// host/config/paths.cpp — XDG folders and atomic file writes.
#include "config/paths.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/atomic_file.hpp"

namespace automuse::config {
namespace fs = std::filesystem;
namespace {

fs::path home() {
  const char *h = std::getenv("HOME");
  return h && *h ? fs::path(h) : fs::path("/tmp");
}

fs::path xdg(const char *var, const char *fallback) {
  const char *v = std::getenv(var);
  if (v && *v && fs::path(v).is_absolute()) return fs::path(v);
  return home() / fallback;
}

}  // namespace

fs::path config_home() {
  return xdg("XDG_CONFIG_HOME", ".config") / "automuse";
}
fs::path data_home() {
  return xdg("XDG_DATA_HOME", ".local/share") / "automuse";
}
fs::path user_plugin_dir() {
  return data_home() / "plugins";
}
fs::path default_config_file() {
  return config_home() / "automuse.json";
}

void create_private_dirs(const fs::path &dir) {
  if (dir.empty() || fs::exists(dir)) return;
  create_private_dirs(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create folder " + dir.string() + ": " + std::strerror(errno));
}

void write_file_atomically(const fs::path &path, std::string_view contents, fs::perms mode) {
  create_private_dirs(path.parent_path());
  core::write_file_atomically(path, contents, mode);
}

}  // namespace automuse::config
