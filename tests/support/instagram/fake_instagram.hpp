// tests/support/instagram/fake_instagram.hpp — a loopback fake of the Instagram Graph API as
// Reels publishing uses it (docs/protocols/instagram.md), on three fake servers standing for
// three hosts: the login host (www/api.instagram.com: the consent screen and the code
// exchange), the Graph host (graph.instagram.com: long-lived tokens, containers, status,
// media_publish, content_publishing_limit, media reads) and the rupload host (resumable byte
// upload with `Authorization: OAuth`, `offset` and `file_size`). A `video_url` container is
// fetched by the fake itself, over loopback only, as Instagram fetches a public URL.
//
// Strict: every request is checked the way the notes say (method, version in the path, token
// kind and age, owner, fields, offsets) and refused in the platform's own shape — Graph's
// {"error":{...}} envelope, the login host's {"error_type","code","error_message"}, rupload's
// {"debug_info":{...}}. A fake clock (advance_clock) drives token lifetimes, the 24 h container
// expiry and the rolling publishing quota. Every documented error is reachable by a switch,
// and every point the notes leave UNCONFIRMED has a switch for each reading. Published Reels are
// recorded with their bytes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeInstagram {
 public:
  static constexpr int64_t kShortLivedSeconds = 3600;
  static constexpr int64_t kLongLivedExpiresIn = 5183944;  // what the exchange answers
  static constexpr int64_t kMinRefreshAge = 24 * 3600;
  static constexpr int64_t kContainerLifetime = 24 * 3600;
  static constexpr int kContainersPerDay = 400;

  // How a user's token was obtained: through Instagram Login (tokens the fake issues) or
  // Facebook Login for Business (a token the test hands in; only its rupload rights differ).
  enum class Login { instagram, facebook };
  enum class TokenKind { short_lived, long_lived, facebook };

  struct App {
    std::string id, secret;
    std::vector<std::string> redirect_uris;  // registered; empty: any http://127.0.0.1:PORT/...
  };
  struct User {
    std::string id;  // the Instagram user id of the professional account
    std::string username;
    Login login = Login::instagram;
    std::string access_token;  // a token the test starts with ("" = none): long-lived for
                               // Instagram Login, a Facebook token otherwise
    std::vector<std::string> scopes = {"instagram_business_basic",
                                       "instagram_business_content_publish"};
  };
  struct Token {
    std::string value, user_id;
    TokenKind kind = TokenKind::long_lived;
    int64_t issued_at = 0, expires_at = 0;  // fake-clock unix seconds; expires_at 0 = never
    std::vector<std::string> scopes;
  };
  struct Container {
    std::string id, user_id;
    std::string source;                         // "resumable", "video_url" or "file_url"
    std::string video_url;                      // for video_url and file_url
    std::map<std::string, std::string> params;  // as created (caption, share_to_feed...)
    uint64_t file_size = 0;                     // declared by the first rupload
    std::string bytes;                          // what arrived so far
    std::string status_code;                    // IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED
    int error_subcode = 0;                      // with ERROR
    std::string media_id;                       // with PUBLISHED
    int64_t created_at = 0;
  };
  struct Reel {
    std::string media_id, container_id, user_id;
    std::string caption;
    bool share_to_feed = true;
    std::string timestamp;  // ISO 8601 as Graph writes it
    std::string bytes;
    uint64_t size = 0;
    std::string sha256;  // hex of the bytes
  };

  // The documented errors (code/subcode), each answered in Graph's envelope.
  enum class GraphError {
    download_timeout,      // -2/2207003, retry
    server_error,          // -1/2207001, retry
    create_failed,         // -1/2207032, retry
    container_expired,     // -2/2207020, new container
    unknown_upload_error,  // -1/2207053, new container
    media_not_found,       // 24/2207006, new container
    builder_expired,       // 24/2207008, wait 30 s - 2 min, then new container
    not_ready,             // 9007/2207027, keep polling
    video_format,          // 352/2207026, fix the media
    thumb_offset,          // 1/2207057, fix the request
    url_not_fetchable,     // 9004/2207052, fix the URL
    daily_limit,           // 9/2207042, wait
    spam,                  // 4/2207051, stop
    restricted,            // 25/2207050, stop
    app_rate_limit,        // 4
    user_rate_limit,       // 17
    page_rate_limit,       // 32
    custom_rate_limit,     // 613
    instagram_rate_limit,  // 80002 (UNCONFIRMED for Instagram)
    token_invalid,         // 190
    token_expired,         // 190/463
  };
  // Which Graph requests a fault applies to.
  enum class Step { create, status, publish, limit, token };
  // How the processing of the next container ends after its polls.
  enum class End { finished, error, expired };

  explicit FakeInstagram(App app);
  ~FakeInstagram();
  FakeInstagram(const FakeInstagram &) = delete;
  FakeInstagram &operator=(const FakeInstagram &) = delete;

  // What a client is configured with. The Graph base has no version: "/v25.0/..." follows.
  std::string graph_url() const { return graph_.base_url(); }
  std::string authorize_url() const { return login_.url("/oauth/authorize"); }
  std::string token_url() const { return login_.url("/oauth/access_token"); }
  std::string rupload_url() const { return rupload_.base_url(); }
  FakeServer &graph_server() { return graph_; }
  FakeServer &login_server() { return login_; }
  FakeServer &rupload_server() { return rupload_; }

  void add_user(User user);
  // The user who consents at the next authorize (default: the first Instagram Login user).
  void set_consenting_user(const std::string &user_id);
  void deny_consent(bool deny);
  // Moves the fake clock forward: tokens, containers and the quota window age.
  void advance_clock(int64_t seconds);
  int64_t now() const;  // fake-clock unix seconds

  // Status reads that answer IN_PROGRESS once the bytes are in, before the end (default 1).
  void processing_polls(int polls);
  // The next container's processing ends this way (ERROR with `subcode`), once.
  void next_container_ends(End end, int subcode = 2207026);
  // config.quota_total (default 50; the notes also cite 100 and 25).
  void set_quota_total(int total);
  // Counts `count` earlier publishes of the user in the current window.
  void use_quota(const std::string &user_id, int count);

  // Faults. Each serves the next `count` matching requests, before anything is done.
  void fail_next(Step step, GraphError error, int count = 1);
  // The next media_publish publishes, then the connection closes without an answer.
  void lose_next_publish_reply();
  // Once the next media_publish has published, fail_next(step, error, count) takes effect: the
  // requests that follow a post (reading the container after a lost reply) fail, those before
  // it do not.
  void fail_after_next_publish(Step step, GraphError error, int count = 1);
  // The next code exchange is refused with this error_message.
  void fail_next_code_exchange(std::string message);
  // The next rupload POST: keep its first `keep_bytes` body bytes, then close unanswered.
  void drop_next_upload(uint64_t keep_bytes);
  // The next rupload POST is answered `status` with a retriable debug_info; nothing kept.
  void fail_next_upload(unsigned status = 503);
  // Every video_url / file_url fetch fails as if the URL were not reachable (2207052).
  void fail_video_fetches(bool on);

  // UNCONFIRMED readings (docs/protocols/instagram.md, "Unconfirmed points").
  // Whether rupload accepts an Instagram Login token (default false: only Facebook Login).
  void resumable_with_instagram_login(bool accept);
  // Whether rupload resumes at a non-zero offset (default false: only 0, which restarts).
  void accept_nonzero_offset(bool accept);
  // Whether the code exchange answers inside {"data":[...]} (default true, as documented).
  void wrap_code_exchange(bool wrapped);
  // Whether authorize requires PKCE (S256) and the exchange checks the verifier (default false).
  void require_pkce(bool required);
  // The next media_publish publishes, then answers 4/2207051 (spam) anyway.
  void spam_refusal_after_next_publish();
  // Whether GET /{ig-user-id}/media lists Reels published through the API (default true).
  void media_list_shows_reels(bool shows);
  // What a second media_publish of a published container answers (the notes do not say;
  // default code 100 with no subcode).
  void republish_refusal(int code, int subcode);

  std::vector<Reel> reels() const;
  std::vector<Container> containers() const;
  std::optional<Token> token(const std::string &value) const;
  // Requests refused, with why (for failure messages; never holds a secret).
  std::vector<std::string> refusals() const;
  // Faults served by kind: the GraphError's code/subcode, "lost_publish_reply",
  // "spam_after_publish", "upload_dropped", "upload_5xx", "fetch_failed".
  std::map<std::string, int> faults_served() const;
  // Every URL the fake fetched (video_url and file_url), in order.
  std::vector<std::string> fetched_urls() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
  FakeServer login_, graph_, rupload_;  // stop first, before the state goes
};

}  // namespace automuse::testing
