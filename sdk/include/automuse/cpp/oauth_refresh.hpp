// automuse/cpp/oauth_refresh.hpp — a locked refresh of an account's OAuth token
// ("automuse.store/1" begin_oauth_refresh / end_oauth_refresh, ABI 1.6), ended exactly once:
//
//   am::oauth_refresh refresh(host, account_id);   // waits for other refreshes
//   stored = parse(refresh.current_json());
//   if (stored's access token != the one that failed) { /* another run refreshed: use it */ }
//   else { /* ask the provider */ refresh.end(new_token_json); }
//
// end() stores the new token (durable when it returns) and releases the lock; the destructor
// releases it without storing anything, so an exception between the two loses nothing but the
// attempt. Failures throw am::error with the store's status and message. Any thread.
#pragma once

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/str.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace am {

class oauth_refresh {
 public:
  // Throws am::error(AM_UNSUPPORTED) when the host's store predates ABI 1.6.
  oauth_refresh(const am_host *h, const std::string &account)
      : host_(h), store_(&host(h).service<am_store>(AM_STORE_SERVICE_ID)) {
    if (!available(*store_))
      throw error(AM_UNSUPPORTED, "this host cannot lock an OAuth token refresh (ABI < 1.6)");
    buffer token, err;
    check(store_->begin_oauth_refresh(host_, to_am_str(account), &refresh_, token.out(), err.out()),
          err.str());
    current_json_ = token.str();
  }
  ~oauth_refresh() {
    if (refresh_) store_->end_oauth_refresh(host_, std::exchange(refresh_, nullptr), {}, nullptr);
  }
  oauth_refresh(const oauth_refresh &) = delete;
  oauth_refresh &operator=(const oauth_refresh &) = delete;

  static bool available(const am_store &store) noexcept {
    return AM_HAS_FIELD(&store, am_store, end_oauth_refresh);
  }

  // The token as stored when the lock was taken (store.h's JSON), or "null" if none yet.
  const std::string &current_json() const noexcept { return current_json_; }

  // Stores `token_json` (empty: keep the stored token) and releases the lock. Call once.
  void end(std::string_view token_json) {
    if (!refresh_) throw error(AM_INVALID_ARGUMENT, "this OAuth token refresh has ended");
    buffer err;
    check(store_->end_oauth_refresh(host_, std::exchange(refresh_, nullptr), to_am_str(token_json),
                                    err.out()),
          err.str());
  }

 private:
  const am_host *host_;
  const am_store *store_;
  am_oauth_refresh *refresh_ = nullptr;
  std::string current_json_;
};

}  // namespace am
