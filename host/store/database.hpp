// host/store/database.hpp — the store's database, whichever engine holds it: an SQLite file
// (the embedded default) or a PostgreSQL server (`store.url`), behind one interface. SQL is
// written once, with `?` (or `?N`) placeholders; values are integers, text, NULL and blobs.
// PostgreSQL infers a parameter's type from where it is used, so a parameter only tested with
// IS NULL has none: write an optional filter as `plugin_id = COALESCE(?, plugin_id)` (on a
// NOT NULL column).
// Where the engines truly differ (the catalogue, row locks, integrity checks) the difference is
// a method of Db, implemented once per backend (sqlite_backend.cpp, postgres_backend.cpp).
// The errors are host/sqlite's, so one catch covers the store, the cache and both backends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite/sqlite_db.hpp"

namespace automuse::store {

using StoreError = sqlite::Error;
using sqlite::Conflict;
using sqlite::NotFound;

enum class Backend { sqlite, postgresql };

// Where the shared state lives: an SQLite file, or a PostgreSQL connection string (a
// `postgresql://` URI or libpq's `key=value` form) when `url` is set.
struct Location {
  std::filesystem::path file{};
  std::string url{};

  Location() = default;
  Location(std::filesystem::path f) : file(std::move(f)) {}  // NOLINT: a file is a location
  Location(const char *f) : file(f) {}                       // NOLINT
  static Location postgresql(std::string url) {
    Location l;
    l.url = std::move(url);
    return l;
  }
  Backend backend() const { return url.empty() ? Backend::sqlite : Backend::postgresql; }
  bool empty() const { return file.empty() && url.empty(); }
};

namespace backend {
class Connection;
class Cursor;
}  // namespace backend

// One connection. Not thread-safe by itself: its owner serialises access (the Store holds a
// mutex). Opening an SQLite file sets a busy timeout, WAL and foreign keys (sqlite_db.hpp);
// opening PostgreSQL connects and throws an Error naming `store.url`'s host and database
// (never its password) when the address is bad or the server unreachable.
class Db {
 public:
  explicit Db(const Location &where);
  ~Db();
  Db(const Db &) = delete;
  Db &operator=(const Db &) = delete;

  Backend backend() const;
  // The file, or the server and database: for messages (never a password).
  std::string describe() const;
  // The SQLite file; empty on PostgreSQL.
  const std::filesystem::path &file() const;

  void exec(std::string_view sql);
  // Rows changed by the last statement.
  int64_t changes() const;

  // Write transactions: see WriteTxn for the scopes.
  enum class Scope { all, rows };
  void begin_write(Scope scope = Scope::all);
  void commit();
  void rollback() noexcept;

  // --- what differs per engine, one method per concept ---
  // The names of the tables in the database (the store's schema, or any other).
  std::vector<std::string> table_names();
  // Appended to a SELECT inside a write transaction to lock the rows it reads until commit:
  // " FOR UPDATE" on PostgreSQL; nothing on SQLite, whose write transaction locks everything.
  std::string_view lock_rows_clause() const;
  // The same for a queue's claim: " FOR UPDATE SKIP LOCKED" on PostgreSQL, so concurrent
  // claimers pass over rows another one has locked instead of waiting; nothing on SQLite.
  std::string_view skip_locked_rows_clause() const;
  // "ok", or the engine's list of problems (PostgreSQL checks its own pages: always "ok").
  std::string integrity_check();
  // Held while opening and migrating: processes (or hosts) opening the store at once take it
  // in turn. SQLite: a lock file beside the database; PostgreSQL: a session advisory lock.
  class OpeningLock {
   public:
    explicit OpeningLock(Db &db);
    ~OpeningLock();
    OpeningLock(const OpeningLock &) = delete;
    OpeningLock &operator=(const OpeningLock &) = delete;

   private:
    Db &db_;
  };

  backend::Connection &connection() { return *conn_; }

 private:
  std::unique_ptr<backend::Connection> conn_;
};

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
  std::unique_ptr<backend::Cursor> cursor_;
};

// Scoped write transaction: commits on commit(), rolls back if destroyed without it.
//  - Scope::all (the default): one writer at a time across every process and host, as
//    SQLite's BEGIN IMMEDIATE gives; code relies on it (the ledger assigns ids as MAX + 1).
//    On PostgreSQL the transaction takes a transaction-scoped advisory lock at BEGIN.
//  - Scope::rows: writers are not serialised; the transaction locks only the rows it touches
//    or selects with lock_rows_clause() (e.g. a job queue's `FOR UPDATE SKIP LOCKED` claims).
//    On SQLite it is the same as Scope::all (SQLite has one writer anyway).
class WriteTxn {
 public:
  using Scope = Db::Scope;
  explicit WriteTxn(Db &db, Scope scope = Scope::all) : db_(db) { db_.begin_write(scope); }
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

}  // namespace automuse::store
