// The oauth_tokens table: one token per account, read and replaced on a given connection, so
// that the Store and a locked refresh (oauth_refresh.hpp) share one definition of the rows.
// Every token read or written is registered with the log's redactor.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"
#include "store/records.hpp"

namespace automuse::store {

// The account's token, or nullopt. `lock_clause` is appended to the SELECT (a row lock, or "").
std::optional<OAuthToken> read_oauth_token(Db &db, const std::string &account_id,
                                           std::string_view lock_clause = "");

// Replaces the account's token inside the caller's write transaction; stamps updated_at.
// Throws NotFound when there is no such account.
void write_oauth_token(Db &db, OAuthToken token);

}  // namespace automuse::store
