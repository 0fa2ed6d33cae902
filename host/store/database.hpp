// host/store/database.hpp — the store's names for its SQLite layer (host/sqlite): the store's
// errors are its database's, so callers catch one type whichever layer failed.
#pragma once

#include "sqlite/sqlite_db.hpp"

namespace automuse::store {

using StoreError = sqlite::Error;
using sqlite::Conflict;
using sqlite::Db;
using sqlite::NotFound;
using sqlite::Stmt;
using sqlite::WriteTxn;

}  // namespace automuse::store
