// plugins/instagram/token_keeper.hpp — the account's long-lived Instagram User token: read from
// the store (as `auth` stored it), and refreshed (GET /refresh_access_token, ig_refresh_token)
// once it is more than a day old and before it expires, under the store's refresh lock
// (am::oauth_refresh) so two runs or hosts refresh it once. An expired token cannot be
// refreshed: the user logs in again, and the error says how.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <cstdint>
#include <string>

#include "settings.hpp"

namespace instagram {

// A long-lived token lives 60 days from its issue or refresh.
constexpr int64_t kLongLivedSeconds = 60LL * 24 * 3600;
// Instagram refreshes a token only once it is 24 hours old; an hour more allows for clocks.
constexpr int64_t kRefreshAfterSeconds = 25LL * 3600;

struct StoredToken {
  std::string access_token;
  int64_t expires_at = 0;  // unix seconds; 0 = unknown
  std::string scope;
};

// "log in again with `automuse-host auth instagram --account NICK`".
std::string login_again(const Account &account);

// The stored token of `account`. Throws am::error(AM_UNAUTHENTICATED) naming the account and
// the command to log in when there is none or it has expired.
StoredToken load_token(const am::job &job, const Account &account);

// Whether a token that expires at `expires_at` is due for a refresh at `now`.
bool refresh_due(int64_t expires_at, int64_t now);

// The token to use: the stored one, refreshed first when due. A refresh Instagram refuses
// leaves the stored token in use (logged); it still works until it expires.
am::task<StoredToken> usable_token(am::job job, PluginSettings settings, Account account);

// The token record set_oauth_token stores for a token that lives `expires_in` seconds.
std::string token_record_json(const std::string &access_token, int64_t expires_in,
                              const std::string &scope);

int64_t now_seconds();

}  // namespace instagram
