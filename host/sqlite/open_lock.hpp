// The lock that processes opening the same database take in turn: switching a new file to WAL
// and migrating it are done by one process at a time. It is an advisory lock (flock) on a
// sibling file, `<database>.lock`, never on the database itself: SQLite's own POSIX locks on
// the database would be dropped by closing any other descriptor of it.
#pragma once

#include <chrono>
#include <filesystem>

namespace automuse::sqlite {

class OpenLock {
 public:
  // Waits at most `patience` for the lock; throws Error naming the lock file after that
  // (a process stopped while opening the database holds it). A process that dies holding it
  // releases it.
  explicit OpenLock(const std::filesystem::path &database, std::chrono::milliseconds patience);
  ~OpenLock();
  OpenLock(const OpenLock &) = delete;
  OpenLock &operator=(const OpenLock &) = delete;

 private:
  int fd_ = -1;
};

}  // namespace automuse::sqlite
