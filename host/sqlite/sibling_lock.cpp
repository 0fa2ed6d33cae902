// Implementation of the sibling-file lock (see sibling_lock.hpp).
#include "sqlite/sibling_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

#include "sqlite/sqlite_db.hpp"

namespace automuse::sqlite {

namespace {

// Short, jittered sleeps: waiters that woke together do not poll in step.
std::chrono::milliseconds next_pause() {
  thread_local std::minstd_rand rng(std::random_device{}());
  return std::chrono::milliseconds(2 + rng() % 9);
}

}  // namespace

SiblingLock::SiblingLock(const std::filesystem::path &database, std::chrono::milliseconds patience,
                         const std::string &suffix, const std::string &purpose) {
  std::filesystem::path file = database;
  file += suffix;
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw Error("cannot open the lock file " + file.string() + ": " + std::strerror(errno));
  }
  // Polled rather than blocking so that the wait is bounded.
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      throw Error(err == EWOULDBLOCK ? "another process has been " + purpose + " " +
                                           database.string() + " for too long (it holds " +
                                           file.string() + "); is an automuse-host stopped?"
                                     : "cannot lock " + file.string() + ": " + std::strerror(err));
    }
    std::this_thread::sleep_for(next_pause());
  }
}

SiblingLock::~SiblingLock() {
  ::close(fd_);  // releases the flock
}

}  // namespace automuse::sqlite
