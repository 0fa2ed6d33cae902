// host/store/database.cpp — store::Db, Stmt and the opening lock over the backend chosen by
// the Location (see database.hpp).
#include "store/database.hpp"

#include "store/backend.hpp"

namespace automuse::store {

Db::Db(const Location &where)
    : conn_(where.backend() == Backend::postgresql ? backend::open_postgres(where.url)
                                                   : backend::open_sqlite(where.file)) {}

Db::~Db() = default;

Backend Db::backend() const {
  return conn_->backend();
}
std::string Db::describe() const {
  return conn_->describe();
}
const std::filesystem::path &Db::file() const {
  return conn_->file();
}
void Db::exec(std::string_view sql) {
  conn_->exec(sql);
}
int64_t Db::changes() const {
  return conn_->changes();
}
void Db::begin_write(Scope scope) {
  conn_->begin_write(scope);
}
void Db::commit() {
  conn_->commit();
}
void Db::rollback() noexcept {
  conn_->rollback();
}
std::vector<std::string> Db::table_names() {
  return conn_->table_names();
}
std::string_view Db::lock_rows_clause() const {
  return conn_->lock_rows_clause();
}
std::string_view Db::skip_locked_rows_clause() const {
  return conn_->skip_locked_rows_clause();
}
std::string Db::integrity_check() {
  return conn_->integrity_check();
}

Db::OpeningLock::OpeningLock(Db &db) : db_(db) {
  db_.conn_->lock_opening();
}
Db::OpeningLock::~OpeningLock() {
  db_.conn_->unlock_opening();
}

Stmt::Stmt(Db &db, std::string_view sql) : cursor_(db.connection().prepare(sql)) {}
Stmt::~Stmt() = default;

Stmt &Stmt::bind(int index, std::string_view text) {
  cursor_->bind_text(index, text);
  return *this;
}
Stmt &Stmt::bind(int index, int64_t value) {
  cursor_->bind_int(index, value);
  return *this;
}
Stmt &Stmt::bind(int index, std::nullopt_t) {
  cursor_->bind_null(index);
  return *this;
}
Stmt &Stmt::bind(int index, const std::optional<std::string> &text) {
  return text ? bind(index, std::string_view(*text)) : bind(index, std::nullopt);
}
Stmt &Stmt::bind(int index, const std::optional<int64_t> &value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}
Stmt &Stmt::bind_blob(int index, std::string_view bytes) {
  cursor_->bind_blob(index, bytes);
  return *this;
}
bool Stmt::step() {
  return cursor_->step();
}
void Stmt::run() {
  while (step()) {
  }
}
void Stmt::reset() {
  cursor_->reset();
}
bool Stmt::is_null(int col) const {
  return cursor_->is_null(col);
}
std::string Stmt::text(int col) const {
  return cursor_->text(col);
}
std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
int64_t Stmt::int64(int col) const {
  return cursor_->int64(col);
}
std::optional<int64_t> Stmt::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}
std::string Stmt::blob(int col) const {
  return cursor_->blob(col);
}

}  // namespace automuse::store
