// A lock that processes sharing one SQLite database take in turn, for work SQLite's own locks
// must not cover: opening (switching a new file to WAL and migrating it) and refreshing an OAuth
// token (which waits on the network; holding the database's write lock that long would stall
// every writer). It is an advisory lock (flock) on a sibling file, `<database><suffix>`, never
// on the database itself: SQLite's own POSIX locks on the database would be dropped by closing
// any other descriptor of it. Each holder opens the file itself, so threads of one process
// exclude each other too.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace automuse::sqlite {

class SiblingLock {
 public:
  // Waits at most `patience` for the lock on `<database><suffix>`; throws Error naming the
  // lock file and `purpose` ("opening", …) after that (a process stopped while holding it).
  // A process that dies holding it releases it.
  SiblingLock(const std::filesystem::path &database, std::chrono::milliseconds patience,
              const std::string &suffix = ".lock", const std::string &purpose = "opening");
  ~SiblingLock();
  SiblingLock(const SiblingLock &) = delete;
  SiblingLock &operator=(const SiblingLock &) = delete;

 private:
  int fd_ = -1;
};

}  // namespace automuse::sqlite
