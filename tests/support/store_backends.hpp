// tests/support/store_backends.hpp — running a test suite against both of the store's
// backends: value-parametrised by StoreBackend, each test named with its backend's name
// (`Stores.Tokens/SQLite`, `Stores.Tokens/Postgres`), so `ctest -R Postgres` picks the
// PostgreSQL half. Each test gets its own store: a file in its temporary folder, or a fresh
// database on the program's throw-away server (postgres_server.hpp).
//
//   class Ledgers : public automuse::testing::BackendTest {};
//   TEST_P(Ledgers, Something) { store::Store store(location()); … }
//   AUTOMUSE_ON_BOTH_BACKENDS(Ledgers);
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "store/database.hpp"
#include "support/postgres_server.hpp"
#include "support/temp_folder.hpp"

namespace automuse::testing {

enum class StoreBackend { SQLite, Postgres };

inline void PrintTo(StoreBackend backend, std::ostream *out) {
  *out << (backend == StoreBackend::SQLite ? "SQLite" : "Postgres");
}

inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend> &info) {
  return info.param == StoreBackend::SQLite ? "SQLite" : "Postgres";
}

class BackendTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  // This test's store: the same location on every call (a second connection opens it again).
  const store::Location &location() {
    if (!location_) {
      location_ = GetParam() == StoreBackend::SQLite
                      ? store::Location(tmp / "automuse.db")
                      : store::Location::postgresql(PostgresServer::get().fresh_database());
    }
    return *location_;
  }
  bool on_postgres() const { return GetParam() == StoreBackend::Postgres; }

  TempFolder tmp;

 private:
  std::optional<store::Location> location_;
};

}  // namespace automuse::testing

#define AUTOMUSE_ON_BOTH_BACKENDS(Suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(, Suite,                                                        \
                           ::testing::Values(::automuse::testing::StoreBackend::SQLite,    \
                                             ::automuse::testing::StoreBackend::Postgres), \
                           ::automuse::testing::backend_name)
