// tests/support/postgres_server.hpp — a throw-away PostgreSQL 15 server for the tests that run
// against the store's PostgreSQL backend: started on first use, once per test program, in a
// fresh temporary folder, listening only on a Unix socket there (no TCP port). When the tests
// run as root (CI), the server runs as the `postgres` user (or `nobody`), since PostgreSQL
// refuses root. A watchdog shell holds the server: when the test program ends — normally, on a
// failed assertion or by a crash — its end of a pipe closes, and the watchdog stops the server
// and removes the folder.
//
//   std::string url = PostgresServer::get().fresh_database();  // an empty database of its own
//   store::Store store(store::Location::postgresql(url));
#pragma once

#include <sys/types.h>

#include <string>

namespace automuse::testing {

class PostgresServer {
 public:
  // The program's server, started (and waited for) on the first call. Fails the calling test
  // with the server's log when it cannot start.
  static PostgresServer &get();

  // Creates a new, empty database and returns its libpq connection string
  // ("host=<socket folder> dbname=<name> user=automuse").
  std::string fresh_database();
  // The connection string of an existing database.
  std::string url(const std::string &dbname) const;
  const std::string &folder() const { return folder_; }

  // An outage of one database (given by the connection string fresh_database returned): every
  // connection to it is dropped and new ones are refused until restore(). The server itself
  // and the other tests' databases stay up.
  void cut_off(const std::string &database_url);
  void restore(const std::string &database_url);

  ~PostgresServer();
  PostgresServer(const PostgresServer &) = delete;
  PostgresServer &operator=(const PostgresServer &) = delete;

 private:
  PostgresServer();
  void wait_until_ready();
  void admin(const std::string &sql);
  long count(const std::string &sql);  // a one-number query

  std::string folder_;
  pid_t watchdog_ = -1;
  int lifeline_ = -1;  // the write end of the watchdog's pipe
  int databases_ = 0;
};

}  // namespace automuse::testing
