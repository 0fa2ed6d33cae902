// host/store/backend.hpp — what each database engine implements behind store::Db and
// store::Stmt (database.hpp): a connection and its statements. One implementation per engine:
// sqlite_backend.cpp and postgres_backend.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace automuse::store::backend {

class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_int(int index, int64_t value) = 0;
  virtual void bind_null(int index) = 0;
  virtual void bind_blob(int index, std::string_view bytes) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  virtual bool is_null(int col) const = 0;
  virtual std::string text(int col) const = 0;
  virtual int64_t int64(int col) const = 0;
  virtual std::string blob(int col) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;
  virtual std::string describe() const = 0;
  virtual const std::filesystem::path &file() const = 0;
  virtual std::unique_ptr<Cursor> prepare(std::string_view sql) = 0;
  virtual void exec(std::string_view sql) = 0;
  virtual int64_t changes() const = 0;
  virtual void begin_write(Db::Scope scope) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual std::vector<std::string> table_names() = 0;
  virtual std::string_view lock_rows_clause() const = 0;
  virtual std::string_view skip_locked_rows_clause() const = 0;
  virtual std::string integrity_check() = 0;
  virtual void lock_opening() = 0;
  virtual void unlock_opening() noexcept = 0;
};

std::unique_ptr<Connection> open_sqlite(const std::filesystem::path &file);
std::unique_ptr<Connection> open_postgres(const std::string &url);

}  // namespace automuse::store::backend
