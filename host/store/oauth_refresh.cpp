// Implementation of the locked OAuth token refresh (see oauth_refresh.hpp).
#include "store/oauth_refresh.hpp"

#include "store/oauth_tokens.hpp"

namespace automuse::store {

namespace {

const Location &locked_file(const Location &where, const std::string &account_id,
                            std::chrono::milliseconds patience,
                            std::optional<sqlite::SiblingLock> &lock) {
  if (where.backend() == Backend::sqlite)
    lock.emplace(where.file, patience, ".oauth-refresh.lock",
                 "refreshing an OAuth token (account " + account_id + ") in");
  return where;
}

}  // namespace

OAuthRefresh::OAuthRefresh(const Location &where, const std::string &account_id,
                           std::chrono::milliseconds patience)
    : account_id_(account_id), db_(locked_file(where, account_id, patience, file_lock_)) {
  if (db_.backend() == Backend::postgresql)
    lock_row(patience);
  else if (!Stmt(db_, "SELECT id FROM accounts WHERE id = ?").bind(1, account_id).step())
    throw NotFound("no account with id " + account_id);
  current_ = read_oauth_token(db_, account_id);
}

// The account's row, not the token's: an account refreshed for the first time has no token
// row yet (its tokens are still the secrets the user entered), and there is nothing to lock.
void OAuthRefresh::lock_row(std::chrono::milliseconds patience) {
  db_.begin_write(Db::Scope::rows);
  in_transaction_ = true;
  db_.exec("SET LOCAL lock_timeout = " + std::to_string(patience.count()));
  Stmt row(db_, "SELECT id FROM accounts WHERE id = ? FOR NO KEY UPDATE");
  try {
    if (!row.bind(1, account_id_).step()) throw NotFound("no account with id " + account_id_);
  } catch (const NotFound &) {
    throw;
  } catch (const StoreError &e) {
    throw StoreError("another process has been refreshing the OAuth token of account " +
                     account_id_ + " for too long (" + e.what() + ")");
  }
}

void OAuthRefresh::finish(std::optional<OAuthToken> next) {
  if (finished_) throw StoreError("an OAuth token refresh was finished twice");
  finished_ = true;
  if (next) {
    next->account_id = account_id_;
    if (!in_transaction_) db_.begin_write();
    in_transaction_ = true;
    write_oauth_token(db_, std::move(*next));
  }
  if (in_transaction_) db_.commit();
  in_transaction_ = false;
  file_lock_.reset();
}

OAuthRefresh::~OAuthRefresh() {
  if (in_transaction_) db_.rollback();
}

}  // namespace automuse::store
