// Implementation of the oauth_tokens rows (see oauth_tokens.hpp).
#include "store/oauth_tokens.hpp"

#include "log/redaction.hpp"
#include "store/store.hpp"

namespace automuse::store {

namespace {

// Secrets are known to the redactor the moment they are read or written, so that whatever
// prints them afterwards (a plugin's error, an action's result, a log line) prints "***".
void register_token(const OAuthToken &t) {
  if (t.access_token) log::add_secret(*t.access_token);
  if (t.refresh_token) log::add_secret(*t.refresh_token);
}

}  // namespace

std::optional<OAuthToken> read_oauth_token(Db &db, const std::string &account_id,
                                           std::string_view lock_clause) {
  Stmt s(db,
         "SELECT account_id, provider, access_token, refresh_token, token_type, scope, "
         "expires_at, updated_at FROM oauth_tokens WHERE account_id = ?" +
             std::string(lock_clause));
  s.bind(1, account_id);
  if (!s.step()) return std::nullopt;
  OAuthToken t;
  s.columns(t.account_id, t.provider, t.access_token, t.refresh_token, t.token_type, t.scope,
            t.expires_at, t.updated_at);
  register_token(t);
  return t;
}

void write_oauth_token(Db &db, OAuthToken t) {
  register_token(t);
  t.updated_at = unix_now();
  // Updated in place, not deleted and inserted: a reader waiting for this row's lock then
  // reads the new token instead of finding no row.
  Stmt up(db,
          "UPDATE oauth_tokens SET provider = ?, access_token = ?, refresh_token = ?, "
          "token_type = ?, scope = ?, expires_at = ?, updated_at = ? WHERE account_id = ?");
  up.bind_all(t.provider, t.access_token, t.refresh_token, t.token_type, t.scope, t.expires_at,
              t.updated_at, t.account_id)
      .run();
  if (db.changes() > 0) return;
  Stmt ins(db,
           "INSERT INTO oauth_tokens (account_id, provider, access_token, refresh_token, "
           "token_type, scope, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  try {
    ins.bind_all(t.account_id, t.provider, t.access_token, t.refresh_token, t.token_type, t.scope,
                 t.expires_at, t.updated_at)
        .run();
  } catch (const Conflict &) {
    throw NotFound("cannot store an OAuth token: no account with id " + t.account_id);
  }
}

}  // namespace automuse::store
