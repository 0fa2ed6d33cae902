// One refresh of an account's OAuth token, locked against every other refresh of the same
// account in any process and on any host until it ends. Providers such as X issue single-use
// refresh tokens: two hosts refreshing at once would both spend the same one, and the loser's
// account would need authorising again. The holder reads the token as stored now (another
// process may have refreshed it while this one waited: then it uses that one), asks the
// provider for a new one only if needed, and finishes by storing it, which ends the lock.
//  - PostgreSQL: a transaction on a connection of its own holds the account's row
//    (SELECT … FOR NO KEY UPDATE, which leaves writers of the account's history free: their
//    foreign keys take only a key-share lock); the new token is written and committed in it.
//  - SQLite: a lock on the sibling file `<database>.oauth-refresh.lock`, for all accounts at
//    once (refreshes are rare and short). Not the database's write lock: that would stall
//    every writer for as long as the provider takes to answer.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "sqlite/sibling_lock.hpp"
#include "store/database.hpp"
#include "store/records.hpp"

namespace automuse::store {

class OAuthRefresh {
 public:
  // Waits at most `patience` for the lock, then throws StoreError naming the account. Throws
  // NotFound when there is no account `account_id`.
  OAuthRefresh(const Location &where, const std::string &account_id,
               std::chrono::milliseconds patience = std::chrono::minutes(2));
  ~OAuthRefresh();  // ends the refresh without storing anything if finish() was not called
  OAuthRefresh(const OAuthRefresh &) = delete;
  OAuthRefresh &operator=(const OAuthRefresh &) = delete;

  // The token as stored when the lock was taken; nullopt if the account has none yet.
  const std::optional<OAuthToken> &current() const { return current_; }

  // Stores `next` (when set; its account_id is filled in) durably, then ends the refresh.
  // Call at most once.
  void finish(std::optional<OAuthToken> next);

 private:
  void lock_row(std::chrono::milliseconds patience);

  std::string account_id_;
  std::optional<sqlite::SiblingLock> file_lock_;  // SQLite
  Db db_;
  bool in_transaction_ = false;  // PostgreSQL: the transaction holding the row
  bool finished_ = false;
  std::optional<OAuthToken> current_;
};

}  // namespace automuse::store
