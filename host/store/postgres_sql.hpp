// host/store/postgres_sql.hpp — the store's SQL (written once, SQLite-style `?` and `?N`
// placeholders) in PostgreSQL's form ($1, $2 …).
#pragma once

#include <string>
#include <string_view>

namespace automuse::store {

struct PostgresSql {
  std::string text;    // with $N placeholders
  int parameters = 0;  // the highest $N
};

// Replaces each `?` by the next $N (and `?N` by $N), outside quoted literals ('…'),
// quoted identifiers ("…") and comments (-- … and /* … */), as SQLite numbers them.
PostgresSql to_postgres_placeholders(std::string_view sql);

}  // namespace automuse::store
