// plugins/twitter/x_api.hpp — the X API v2 calls the plugin makes, as coroutines over the
// host's HTTP service: create a post, read the account's recent posts, the chunked video
// upload with status polling. Requests are signed with OAuth 1.0a (user context) or carry an
// OAuth 2 bearer token, refreshed once on 401 under the store's refresh lock, so two runs or
// hosts never spend the same single-use refresh token (the new one is stored before the new
// access token is used). Errors become am::error with a message naming the
// account.
#pragma once

#include <automuse/store.h>

#include <automuse/cpp/http.hpp>
#include <automuse/cpp/job.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "oauth1.hpp"
#include "post_match.hpp"
#include "settings.hpp"

namespace twitter {

struct Credentials {
  std::optional<OAuth1Credentials> oauth1;
  std::string bearer_token;   // OAuth 2 access token
  std::string refresh_token;  // OAuth 2, single use
};

// Reads the account's OAuth 2 token from the store, else its secrets (bearer_token,
// refresh_token, consumer_key, consumer_secret, access_token, access_token_secret). Throws
// am::error(AM_UNAUTHENTICATED) naming the account and what is missing.
Credentials load_credentials(const am_host *host, const Account &account);

// A POST whose outcome is unknown: the request may have reached X (connection lost or timed
// out after sending, or a 5xx, which X also answers after creating the post). Never simply
// repeated: X is asked first.
class OutcomeUnknown : public am::error {
 public:
  using am::error::error;
};

// X refused a post as duplicate content: the account already has a post with this text.
class DuplicateContent : public am::error {
 public:
  using am::error::error;
};

struct PostedTweet {
  std::string id;
  std::string text;
};

class XApi {
 public:
  XApi(am::job job, const am_host *host, PluginSettings settings, Account account,
       Credentials credentials);

  // POST /2/tweets. Waits out a 429 until x-rate-limit-reset (up to the configured limit);
  // usage cap, 401 and 403 fail with clear messages (X did not act), duplicate content throws
  // DuplicateContent; a lost answer or a 5xx throws OutcomeUnknown.
  am::task<PostedTweet> create_post(std::string text, std::vector<std::string> media_ids);

  // GET /2/users/me: the account's user id.
  am::task<std::string> my_user_id();

  // GET /2/users/:id/tweets with their link entities, newest first (max_results 5..100).
  am::task<std::vector<RemotePost>> recent_posts(std::string user_id, int max_results);

  // Chunked upload of an MP4 (initialize, append segments, finalize, poll STATUS until
  // processed). Returns the media id.
  am::task<std::string> upload_video(std::string path);

  const Account &account() const { return account_; }

 private:
  am::task<am::http_response> send(am::http_request request);
  am::task<void> refresh_token();
  // After taking the refresh lock: takes the token another run stored meanwhile, if any (true),
  // else the newest refresh token to spend (false).
  bool adopt_stored_token(const std::string &stored_json);
  void authorise(am::http_request &request) const;
  [[noreturn]] void fail(const am::http_response &response, const std::string &what) const;

  am::job job_;
  const am_host *host_;
  PluginSettings settings_;
  Account account_;
  Credentials credentials_;
};

// The problem+json or {"errors": [...]} detail of an X error body; "" when none.
std::string error_detail(const std::string &body);

}  // namespace twitter
