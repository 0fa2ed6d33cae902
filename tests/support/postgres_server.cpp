// tests/support/postgres_server.cpp — the throw-away PostgreSQL server (see postgres_server.hpp).
#include "support/postgres_server.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char **environ;

namespace automuse::testing {
namespace {

constexpr const char *kBin = "/usr/lib/postgresql/15/bin";

// Runs initdb and the server as `user` (or as ourselves when empty), then waits for its stdin
// to close, then stops the server and removes the folder. Everything runs in this shell, so
// the test program only forks and execs it (safe even when it already has threads).
constexpr const char *kWatchdog = R"sh(
dir=$1; bin=$2; user=$3
as=""
[ -n "$user" ] && as="setpriv --reuid=$user --regid=$user --clear-groups"
cleanup() { [ -n "$pg" ] && kill -INT "$pg" 2>/dev/null && wait "$pg"; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 0' INT TERM HUP
if $as "$bin/initdb" -D "$dir/data" -U automuse -A trust -E UTF8 --locale=C --no-sync \
     >"$dir/initdb.log" 2>&1; then
  # setpriv execs the server: $! is the server's pid.
  $as "$bin/postgres" -D "$dir/data" -k "$dir" -c listen_addresses= -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
      -c dynamic_shared_memory_type=mmap >"$dir/postgres.log" 2>&1 &
  pg=$!
else
  echo failed >"$dir/initdb.failed"
fi
cat >/dev/null
)sh";

// The unprivileged user the server runs as when we are root ("" when we are not root).
std::string server_user() {
  if (::geteuid() != 0) return "";
  for (const char *name : {"postgres", "nobody"}) {
    if (::getpwnam(name)) return name;
  }
  throw std::runtime_error("running as root, and there is no postgres or nobody user");
}

std::string read_text(const std::string &file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

PostgresServer &PostgresServer::get() {
  static PostgresServer server;
  return server;
}

PostgresServer::PostgresServer() {
  char pattern[] = "/tmp/automuse-pg-XXXXXX";
  if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  const std::string user = server_user();
  if (!user.empty()) {
    const passwd *pw = ::getpwnam(user.c_str());
    if (::chown(folder_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("cannot give " + folder_ + " to " + user);
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], 0);  // dup2 clears O_CLOEXEC
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  // Its own process group: a Ctrl-C of the test program still leaves it to clean up.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  std::string script = kWatchdog;
  const char *argv[] = {"/bin/sh",       "-c", script.c_str(), "watchdog",
                        folder_.c_str(), kBin, user.c_str(),   nullptr};
  int rc = posix_spawn(&watchdog_, "/bin/sh", &actions, &attr, const_cast<char **>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(pipe_fds[0]);
  lifeline_ = pipe_fds[1];
  if (rc != 0) throw std::runtime_error("cannot start the PostgreSQL watchdog");
  wait_until_ready();
}

PostgresServer::~PostgresServer() {
  // Closing our end tells the watchdog to stop the server and remove the folder.
  if (lifeline_ >= 0) ::close(lifeline_);
  if (watchdog_ > 0) ::waitpid(watchdog_, nullptr, 0);
}

void PostgresServer::wait_until_ready() {
  const std::string conninfo = url("postgres");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (PQping(conninfo.c_str()) != PQPING_OK) {
    const bool initdb_failed = ::access((folder_ + "/initdb.failed").c_str(), F_OK) == 0;
    if (initdb_failed || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the test PostgreSQL server did not start in " + folder_ + ":\n" +
                               read_text(folder_ + "/initdb.log") +
                               read_text(folder_ + "/postgres.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string PostgresServer::url(const std::string &dbname) const {
  return "host=" + folder_ + " dbname=" + dbname + " user=automuse";
}

void PostgresServer::admin(const std::string &sql) {
  PGconn *conn = PQconnectdb(url("postgres").c_str());
  PGresult *res = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(res);
  const std::string why = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error(sql + " failed: " + why);
}

long PostgresServer::count(const std::string &sql) {
  PGconn *conn = PQconnectdb(url("postgres").c_str());
  PGresult *res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
  const long n = ok ? std::atol(PQgetvalue(res, 0, 0)) : -1;
  const std::string why = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + " failed: " + why);
  return n;
}

static std::string database_name(const std::string &database_url) {
  const size_t at = database_url.find("dbname=");
  if (at == std::string::npos) throw std::runtime_error("no dbname in " + database_url);
  const size_t begin = at + 7;
  return database_url.substr(begin, database_url.find(' ', begin) - begin);
}

void PostgresServer::cut_off(const std::string &database_url) {
  const std::string name = database_name(database_url);
  admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
  admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  // Terminating only signals the backends: wait until they are gone, so that the outage has
  // begun when this returns.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (count("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + name + "'") > 0) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the connections to " + name + " did not end");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void PostgresServer::restore(const std::string &database_url) {
  admin("ALTER DATABASE " + database_name(database_url) + " ALLOW_CONNECTIONS true");
}

std::string PostgresServer::fresh_database() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  const std::string name = "test_" + std::to_string(++databases_);
  PGconn *admin = PQconnectdb(url("postgres").c_str());
  PGresult *res =
      PQexec(admin, ("CREATE DATABASE " + name + " TEMPLATE template0 STRATEGY FILE_COPY").c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  const std::string why = PQerrorMessage(admin);
  PQclear(res);
  PQfinish(admin);
  if (!ok) throw std::runtime_error("CREATE DATABASE " + name + " failed: " + why);
  return url(name);
}

}  // namespace automuse::testing
