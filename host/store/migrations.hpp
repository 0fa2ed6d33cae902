// The store's versioned schema: an ordered list of migrations, applied in place on open.
// The version lives in the portable table `schema_version` (one row per applied step).
#pragma once

#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace automuse::store {

struct Migration {
  int version;                               // 1, 2, 3 … without gaps
  std::string_view description;              // shown when upgrading
  std::vector<std::string_view> statements;  // plain SQL, one statement each
};

// Every migration this build knows, oldest first. A later feature (schedules, job runs)
// appends a new entry with the next version; never edit a released one.
const std::vector<Migration> &migrations();

// The newest version this build knows.
int latest_schema_version();

// The version recorded in the database: 0 for a new, empty one. Throws StoreError if the
// database holds tables but no schema_version (not an AutoMuse store).
int read_schema_version(Db &db);

// Brings the database up to `target` (default: latest), each step in its own transaction,
// and returns the versions it applied (none when another process did them first). Refuses,
// with a message naming the store and both versions, a database newer than this build. Safe
// when any number of processes (or hosts) open the same store at once: they take the opening
// lock in turn (Db::OpeningLock), so each step is applied once.
std::vector<int> migrate(Db &db, int target = -1);

}  // namespace automuse::store
