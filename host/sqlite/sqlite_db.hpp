// host/sqlite/sqlite_db.hpp — a thin RAII layer over the SQLite C API: a connection (Db),
// prepared statements (Stmt) and errors that carry the database file's name. Shared by the
// store, the cache, the ledger, the schedule and the LLM usage log.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace automuse::sqlite {

// Any failure of a database: bad input, a constraint, an unreadable or too-new file.
// what() is a complete sentence meant for the user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The named thing (account, file…) does not exist.
class NotFound : public Error {
 public:
  using Error::Error;
};

// A uniqueness rule would be broken (e.g. a nickname already used for that plugin).
class Conflict : public Error {
 public:
  using Error::Error;
};

class Db;

// A prepared statement. Parameters are bound by 1-based index; columns read by 0-based index.
class Stmt {
 public:
  Stmt(Db &db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt &) = delete;
  Stmt &operator=(const Stmt &) = delete;

  Stmt &bind(int index, std::string_view text);
  Stmt &bind(int index, const std::string &text) { return bind(index, std::string_view(text)); }
  Stmt &bind(int index, const char *text) { return bind(index, std::string_view(text)); }
  Stmt &bind(int index, int64_t value);
  Stmt &bind(int index, std::nullopt_t);
  Stmt &bind(int index, const std::optional<std::string> &text);
  Stmt &bind(int index, const std::optional<int64_t> &value);
  Stmt &bind_blob(int index, std::string_view bytes);
  // Binds the values to parameters 1, 2, 3… in order.
  template <class... T>
  Stmt &bind_all(const T &...values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  // Steps once: true when a row is available, false when done. Throws on error.
  bool step();
  // Runs a statement that returns no rows (or ignores them).
  void run();
  void reset();

  bool is_null(int col) const;
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  int64_t int64(int col) const;
  std::optional<int64_t> opt_int64(int col) const;
  std::string blob(int col) const;

  // Reads columns 0, 1, 2… of the current row into the variables in order; each variable's
  // type says how the column is read (a NULL only fits an optional).
  template <class... T>
  void columns(T &...out) const {
    int col = 0;
    (read(col++, out), ...);
  }
  void read(int col, std::string &out) const { out = text(col); }
  void read(int col, std::optional<std::string> &out) const { out = opt_text(col); }
  void read(int col, int64_t &out) const { out = int64(col); }
  void read(int col, std::optional<int64_t> &out) const { out = opt_int64(col); }
  void read(int col, bool &out) const { out = int64(col) != 0; }

 private:
  Db &db_;
  sqlite3_stmt *stmt_ = nullptr;
};

// One connection. Opening it sets a busy timeout (first), WAL and foreign keys. Any number of
// processes may open the same file at once, new or not: the switch to WAL is made under the
// opening lock (sibling_lock.hpp). Not thread-safe by itself: its owner serialises access (the
// Store and the Cache hold a mutex).
class Db {
 public:
  // Opens (creating if needed) the database file. The file is created owner-only (0600)
  // before SQLite touches it, so its -wal and -shm companions inherit that mode.
  explicit Db(const std::filesystem::path &file, int busy_timeout_ms = 10000);
  ~Db();
  Db(const Db &) = delete;
  Db &operator=(const Db &) = delete;

  void exec(std::string_view sql);
  int64_t changes() const;
  sqlite3 *handle() const { return db_; }
  const std::filesystem::path &file() const { return file_; }
  // How long to wait for processes opening the same file (SiblingLock) before giving up.
  std::chrono::milliseconds opening_patience() const;

  // Throws a Error (or Conflict for constraint violations) describing `what`.
  [[noreturn]] void fail(int rc, std::string_view what) const;

  // Write transactions start with BEGIN IMMEDIATE so that a writer waits for the lock (busy
  // timeout) up front, instead of failing on upgrade from a stale read snapshot in WAL mode.
  void begin_write() { exec("BEGIN IMMEDIATE"); }
  void commit() { exec("COMMIT"); }
  void rollback() noexcept;

 private:
  void use_wal();

  std::filesystem::path file_;
  std::chrono::milliseconds busy_timeout_;
  sqlite3 *db_ = nullptr;
};

// Scoped write transaction: commits on commit(), rolls back if destroyed without it.
class WriteTxn {
 public:
  explicit WriteTxn(Db &db) : db_(db) { db_.begin_write(); }
  ~WriteTxn() {
    if (!done_) db_.rollback();
  }
  WriteTxn(const WriteTxn &) = delete;
  WriteTxn &operator=(const WriteTxn &) = delete;
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  Db &db_;
  bool done_ = false;
};

// Creates `dir` (and parents) if missing and makes the last component owner-only (0700).
void ensure_private_dir(const std::filesystem::path &dir);

}  // namespace automuse::sqlite
