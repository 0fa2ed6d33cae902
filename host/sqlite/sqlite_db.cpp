// host/sqlite/sqlite_db.cpp — the SQLite RAII layer (see sqlite_db.hpp).
#include "sqlite/sqlite_db.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "sqlite/sibling_lock.hpp"

namespace automuse::sqlite {

namespace fs = std::filesystem;

void ensure_private_dir(const fs::path &dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create folder " + dir.string() + ": " + ec.message());
  // Only tighten the folder we own; parents such as ~/.local/share keep their mode.
  if (::chmod(dir.c_str(), 0700) != 0) {
    throw Error("cannot make " + dir.string() + " owner-only: " + std::strerror(errno));
  }
}

Db::Db(const fs::path &file, int busy_timeout_ms) : file_(file), busy_timeout_(busy_timeout_ms) {
  // Create the file ourselves with 0600: SQLite would use 0644 (minus umask), and its WAL and
  // SHM files copy the database file's mode. Never open() an existing database here: closing
  // any descriptor of the file drops every POSIX lock this process holds on it, those of the
  // SQLite connections already open in this process too (the daemon has several), and
  // another process may then take the file for unused and delete the WAL under them.
  if (struct stat st{}; ::stat(file.c_str(), &st) == 0) {
    if ((st.st_mode & 0777) != 0600) ::chmod(file.c_str(), 0600);
  } else {
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      throw Error("cannot open database " + file.string() + ": " + std::strerror(errno));
    }
    if (fd >= 0) {
      ::fchmod(fd, 0600);
      ::close(fd);
    }
  }

  int rc =
      sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error("cannot open database " + file.string() + ": " + msg);
  }
  // The busy timeout before any statement: even the first read may meet another process's lock.
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  sqlite3_extended_result_codes(db_, 1);
  try {
    {
      SiblingLock lock(file_, opening_patience());
      use_wal();
    }
    // NORMAL is durable against application crashes in WAL mode; only a power loss may drop
    // the last commits, never corrupt the file.
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

std::chrono::milliseconds Db::opening_patience() const {
  // Long enough for every process opening the file at once to migrate it in turn.
  return std::max(std::chrono::milliseconds(30000), 3 * busy_timeout_);
}

void Db::use_wal() {
  // Switching a file to WAL upgrades the statement's read lock to a write lock, and SQLite
  // answers SQLITE_BUSY at once there instead of calling the busy handler (waiting could
  // deadlock two such upgrades); WAL recovery may do the same. So SQLITE_BUSY is retried here,
  // for at most the busy timeout. The opening lock keeps AutoMuse's own openers apart; this
  // covers other processes (an older automuse-host, the sqlite3 shell).
  const auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
  for (int pause_ms = 1;; pause_ms = std::min(pause_ms * 2, 50)) {
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr);
    std::string mode;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 0);
        mode = text ? reinterpret_cast<const char *>(text) : "";
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_OK && mode == "wal") return;
    // A mode other than WAL without an error: SQLite could not take the lock to change it.
    const bool busy = rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    if (!busy || std::chrono::steady_clock::now() >= deadline) {
      // A file that is not a database fails here, on the first read.
      if (rc == SQLITE_OK) {
        throw Error("cannot switch " + file_.string() + " to WAL mode (it stays in '" + mode +
                    "' mode)");
      }
      fail(rc, "'PRAGMA journal_mode=WAL'");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
  }
}

Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

void Db::fail(int rc, std::string_view what) const {
  std::string msg = std::string(what) + " failed on " + file_.string() + ": " +
                    (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
  if ((rc & 0xff) == SQLITE_CONSTRAINT) throw Conflict(msg);
  throw Error(msg);
}

void Db::exec(std::string_view sql) {
  std::string s(sql);
  char *err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    std::string full = "'" + s.substr(0, 60) + "' failed on " + file_.string() + ": " + msg;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) throw Conflict(full);
    throw Error(full);
  }
}

int64_t Db::changes() const {
  return sqlite3_changes64(db_);
}

void Db::rollback() noexcept {
  // Ignore errors: SQLite may already have rolled back on its own after certain failures.
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Stmt::Stmt(Db &db, std::string_view sql) : db_(db) {
  int rc =
      sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) db_.fail(rc, "preparing '" + std::string(sql.substr(0, 60)) + "'");
}

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

Stmt &Stmt::bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_.fail(rc, "binding a parameter");
  return *this;
}

Stmt &Stmt::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc, "binding a parameter");
  return *this;
}

Stmt &Stmt::bind(int index, std::nullopt_t) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_.fail(rc, "binding a parameter");
  return *this;
}

Stmt &Stmt::bind(int index, const std::optional<std::string> &text) {
  return text ? bind(index, std::string_view(*text)) : bind(index, std::nullopt);
}

Stmt &Stmt::bind(int index, const std::optional<int64_t> &value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}

Stmt &Stmt::bind_blob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_.fail(rc, "binding a parameter");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  db_.fail(rc, "'" + sql.substr(0, 60) + "'");
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Stmt::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::string Stmt::text(int col) const {
  const unsigned char *p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char *>(p), static_cast<size_t>(n)) : "";
}

std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

int64_t Stmt::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::optional<int64_t> Stmt::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::string Stmt::blob(int col) const {
  const void *p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(static_cast<const char *>(p), static_cast<size_t>(n)) : "";
}

}  // namespace automuse::sqlite
