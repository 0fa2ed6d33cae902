// host/config/paths.cpp — XDG folders and atomic file writes.
#include "config/paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

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

fs::path config_home() { return xdg("XDG_CONFIG_HOME", ".config") / "automuse"; }
fs::path data_home() { return xdg("XDG_DATA_HOME", ".local/share") / "automuse"; }
fs::path user_plugin_dir() { return data_home() / "plugins"; }
fs::path default_config_file() { return config_home() / "automuse.json"; }

void create_private_dirs(const fs::path &dir) {
  if (dir.empty() || fs::exists(dir)) return;
  create_private_dirs(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create folder " + dir.string() + ": " + std::strerror(errno));
}

void write_file_atomically(const fs::path &path, std::string_view contents, fs::perms mode) {
  create_private_dirs(path.parent_path());
  std::string tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  const char *p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(e));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  ::fchmod(fd, static_cast<mode_t>(mode));
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(e));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot replace " + path.string() + ": " + std::strerror(e));
  }
}

}  // namespace automuse::config
