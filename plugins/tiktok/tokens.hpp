// plugins/tiktok/tokens.hpp — an account's TikTok tokens: read from the store, refreshed before
// they expire (or after TikTok called the access token invalid) under the store's refresh lock,
// so two runs never spend one refresh token. TikTok may hand back a new refresh token on every
// refresh, and then only the new one works: the new pair is stored (one transaction) before the
// new access token is used. The client secret is the account's secret `client_secret`, else
// plugins.tiktok.client_secret.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <cstdint>
#include <string>

#include "settings.hpp"

namespace tiktok {

// The app's credentials for an account (the secret is never logged).
struct Client {
  std::string key, secret;
};
// Throws am::error(AM_INVALID_ARGUMENT) naming what is missing and how to set it.
Client client_for(const am::host &host, const PluginSettings &settings, const Account &account);

class Tokens {
 public:
  Tokens(am::job job, PluginSettings settings, Account account);

  // The access token to send now: refreshed first when it expires within the margin. Throws
  // am::error(AM_UNAUTHENTICATED) when the account was never authorised or refreshing failed.
  am::task<std::string> access_token();
  // TikTok said `rejected` is invalid: refresh (unless another run already did).
  am::task<void> refresh_after_rejection(std::string rejected);

 private:
  void load();
  am::task<void> refresh(std::string stale);
  bool adopt(const std::string &stored_json, const std::string &stale);
  bool expiring() const;

  am::job job_;
  PluginSettings settings_;
  Account account_;
  bool loaded_ = false;
  std::string access_, refresh_;
  int64_t expires_at_ = 0;  // 0: unknown
  bool refreshed_ = false;  // the token came from a refresh during this run
};

// {"provider": "tiktok", access_token, refresh_token, token_type, scope, expires_at} from a
// token endpoint answer (top level, TikTok's shape). Throws am::error(AM_UNAUTHENTICATED)
// explaining an answer without access_token (TikTok may refuse with HTTP 200).
std::string token_record(int http_status, const std::string &body, const std::string &who,
                         const std::string &old_refresh_token);

}  // namespace tiktok
