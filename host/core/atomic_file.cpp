// host/core/atomic_file.cpp — write whole, then rename (see atomic_file.hpp).
#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace automuse::core {
namespace fs = std::filesystem;

AtomicFile::AtomicFile(fs::path target, fs::perms mode) : target_(std::move(target)), mode_(mode) {
  // mkostemp opens with O_CREAT|O_EXCL and mode 0600: an existing file or symlink at the
  // name is never reused, and the bytes are private until finish() sets the final mode.
  std::string pattern = target_.string() + ".tmp-XXXXXX";
  fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd_ < 0) fail("cannot create a temporary file for", errno);
  temp_ = pattern;
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::fail(const std::string &what, int err) {
  throw std::runtime_error(what + " " + target_.string() + ": " + std::strerror(err));
}

void AtomicFile::write(std::string_view bytes) {
  if (fd_ < 0) throw std::logic_error("AtomicFile::write after finish");
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", errno);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void AtomicFile::copy_from(int fd) {
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read the source of", errno);
    if (n == 0) return;
    write(std::string_view(buf, static_cast<size_t>(n)));
  }
}

void AtomicFile::finish() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (::fchmod(fd, static_cast<mode_t>(mode_)) != 0 || ::fsync(fd) != 0) {
    int e = errno;
    ::close(fd);
    fail("cannot write", e);
  }
  if (::close(fd) != 0) fail("cannot write", errno);
}

void AtomicFile::commit() {
  finish();
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail("cannot replace", errno);
  committed_ = true;
}

void write_file_atomically(const fs::path &path, std::string_view bytes, fs::perms mode) {
  AtomicFile file(path, mode);
  file.write(bytes);
  file.commit();
}

}  // namespace automuse::core
