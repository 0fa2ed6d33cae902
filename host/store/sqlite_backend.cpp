// host/store/sqlite_backend.cpp — the store on an SQLite file, through host/sqlite's RAII layer.
#include <optional>

#include "sqlite/sibling_lock.hpp"
#include "sqlite/sqlite_db.hpp"
#include "store/backend.hpp"

namespace automuse::store::backend {
namespace {

class SqliteCursor : public Cursor {
 public:
  SqliteCursor(sqlite::Db &db, std::string_view sql) : stmt_(db, sql) {}
  void bind_text(int index, std::string_view text) override { stmt_.bind(index, text); }
  void bind_int(int index, int64_t value) override { stmt_.bind(index, value); }
  void bind_null(int index) override { stmt_.bind(index, std::nullopt); }
  void bind_blob(int index, std::string_view bytes) override { stmt_.bind_blob(index, bytes); }
  bool step() override { return stmt_.step(); }
  void reset() override { stmt_.reset(); }
  bool is_null(int col) const override { return stmt_.is_null(col); }
  std::string text(int col) const override { return stmt_.text(col); }
  int64_t int64(int col) const override { return stmt_.int64(col); }
  std::string blob(int col) const override { return stmt_.blob(col); }

 private:
  sqlite::Stmt stmt_;
};

class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(const std::filesystem::path &file) : db_(file) {}
  Backend backend() const override { return Backend::sqlite; }
  std::string describe() const override { return db_.file().string(); }
  const std::filesystem::path &file() const override { return db_.file(); }
  std::unique_ptr<Cursor> prepare(std::string_view sql) override {
    return std::make_unique<SqliteCursor>(db_, sql);
  }
  void exec(std::string_view sql) override { db_.exec(sql); }
  int64_t changes() const override { return db_.changes(); }
  // One writer at a time is all SQLite has: both scopes are BEGIN IMMEDIATE.
  void begin_write(Db::Scope) override { db_.begin_write(); }
  void commit() override { db_.commit(); }
  void rollback() noexcept override { db_.rollback(); }

  std::vector<std::string> table_names() override {
    sqlite::Stmt q(db_, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.text(0));
    return out;
  }
  std::string_view lock_rows_clause() const override { return ""; }
  std::string_view skip_locked_rows_clause() const override { return ""; }
  std::string integrity_check() override {
    sqlite::Stmt q(db_, "PRAGMA integrity_check");
    std::string out;
    while (q.step()) out += (out.empty() ? "" : "\n") + q.text(0);
    return out;
  }
  void lock_opening() override { lock_.emplace(db_.file(), db_.opening_patience()); }
  void unlock_opening() noexcept override { lock_.reset(); }

 private:
  sqlite::Db db_;
  std::optional<sqlite::SiblingLock> lock_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::filesystem::path &file) {
  return std::make_unique<SqliteConnection>(file);
}

}  // namespace automuse::store::backend
