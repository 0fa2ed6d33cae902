// tests/support/tiktok/fake_tiktok.hpp — a loopback fake of TikTok's Content Posting API and
// its OAuth 2.0 (Login Kit v2, desktop) endpoints (docs/protocols/tiktok.md), strict about
// every field: a client that keeps the protocol passes, one that does not is refused with
// TikTok's own error shapes.
//
// Two FakeServers stand in for TikTok's hosts: the API host (/v2/auth/authorize/ as the user's
// consent, /v2/oauth/token/ and /v2/oauth/revoke/, creator_info/query, Direct Post and inbox
// init, status/fetch) and the upload host that the opaque upload_url points at (chunked PUTs,
// no Authorization). OAuth: client_key, comma-separated scopes, PKCE with the hex-encoded
// SHA-256 challenge checked at the exchange, single-use codes, refresh tokens replaced on each
// refresh (switch), revoke, expiring access tokens (401 access_token_invalid on the API).
// Posting: creator info per account (public or private privacy options, maximum duration,
// refusals with HTTP 200), init with the chunk arithmetic checked exactly, privacy among the
// offered options, titles of at most 2200 UTF-16 units, per-token rate limits, the unaudited
// client's private-only rule; uploads in order with Content-Range checked, 206/201, 416 with
// the server's Content-Range; status PROCESSING_UPLOAD until N polls after the last chunk, then
// PUBLISH_COMPLETE, SEND_TO_USER_INBOX or FAILED with a chosen fail_reason. Every publish is
// recorded with the size and CRC-32 of its bytes (and the bytes, unless discarded), so a test
// can assert "exactly one post, these bytes". Switches give both readings of each point the
// documentation leaves open.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/fake_secrets.hpp"
#include "support/fake_server.hpp"
#include "support/tiktok/tiktok_rules.hpp"

namespace automuse::testing {

class FakeTikTok {
 public:
  using Clock = std::chrono::steady_clock;

  struct Client {
    std::string key = "awfaketiktokclient01";
    std::string secret = std::string(fake_secrets::kTikTokClientSecret);
    std::string redirect_path = "/callback/";  // registered as http://127.0.0.1:*/callback/
  };
  struct Options {
    bool keep_bytes = true;  // false: upload bodies are counted and checksummed, not kept
  };
  struct Account {
    std::string open_id;  // "" = made up
    std::string username = "automuse_test", nickname = "AutoMuse Test";
    bool private_account = false;  // its privacy options follow
    int max_video_post_duration_sec = 600;
    bool comment_disabled = false, duet_disabled = false, stitch_disabled = false;
  };
  struct Tokens {
    std::string access_token, refresh_token, open_id, scope;
  };
  // One publish_id: what its init asked and what its upload brought.
  struct Publish {
    std::string publish_id, open_id, upload_url, access_token;
    bool inbox = false;
    boost::json::value post_info;  // null for an inbox upload
    uint64_t video_size = 0, chunk_size = 0, total_chunk_count = 0;
    uint64_t received = 0;  // bytes taken, always whole chunks
    uint32_t crc32 = 0;     // of the bytes taken, in order
    std::string bytes;      // the bytes taken, unless Options::keep_bytes is off
    bool complete = false;  // every chunk arrived: posting began (the 201)
    std::string status;     // as the last status fetch answered ("" = never asked)
    std::string fail_reason;
  };
  // One PUT to the upload host, as the server saw it.
  struct Put {
    std::string publish_id;
    uint64_t first = 0, last = 0, total = 0, body_bytes = 0;
    unsigned status = 0;        // 0: the connection was closed without an answer
    std::string content_range;  // the Content-Range answered
  };

  FakeTikTok();
  explicit FakeTikTok(Options options);
  FakeTikTok(Client client, Options options);
  FakeTikTok(const FakeTikTok &) = delete;
  FakeTikTok &operator=(const FakeTikTok &) = delete;

  FakeServer &server() { return api_; }
  FakeServer &upload_server() { return upload_; }
  std::string api_base() const { return api_.base_url(); }  // stands for open.tiktokapis.com
  std::string authorize_url() const { return api_.url("/v2/auth/authorize/"); }
  std::string token_url() const { return api_.url("/v2/oauth/token/"); }
  std::string revoke_url() const { return api_.url("/v2/oauth/revoke/"); }
  const Client &client() const { return client_; }

  // An account; the first one added is the one that consents at /v2/auth/authorize/.
  std::string add_account(Account account);
  // Tokens for an account as if it had authorised the app earlier.
  Tokens authorise(const std::string &open_id,
                   std::string scope = "user.info.basic,video.publish,video.upload");

  // --- OAuth switches ---
  void deny_consent(bool deny);                 // the user refuses: error=access_denied
  void user_unchecks_scope(std::string scope);  // granted scopes leave it out
  void access_token_lifetime(std::chrono::seconds lifetime);  // default 86400 s
  void expire_access_tokens();                                // every one issued so far
  void expire_refresh_tokens();                               // every one issued so far
  // Each refresh returns a new refresh token and refuses the old one (default), or returns
  // the same one: the documentation says it "may be different".
  void replace_refresh_tokens(bool replace);
  // OAuth refusals with HTTP 200 instead of 400/401 (the documentation gives no status).
  void oauth_errors_with_status_200(bool on);
  void fail_token_requests(int count, unsigned status = 503);  // nothing processed
  void lose_next_token_reply();  // processed, then the connection closes unanswered

  // --- posting switches ---
  void chunk_reading(tiktok::MegaByte reading);  // default: MegaByte::safe
  void rate_limits(bool on);                     // default on: 20, 6 and 30 per minute
  void unaudited_client(bool on);                // private accounts and SELF_ONLY only
  // brand_content_toggle required (default: the docs' table) or optional (their example).
  void require_brand_content_toggle(bool required);
  void daily_post_cap(int posts);  // per account per 24 h (default 15)
  // The next `count` creator_info queries are refused with `code` and HTTP 200.
  void refuse_creator_info(std::string code, int count = 1);
  // The next `count` inits (direct or inbox) are refused with `code` and HTTP 403.
  void refuse_init(std::string code, int count = 1);
  void lose_next_init_reply();  // the publish is made, then the connection closes unanswered
  void fail_inits(int count, unsigned status = 503);  // 5xx before anything is made

  // --- upload faults; chunks are numbered from 1 within a publish, each fault fires once ---
  void fail_chunk(int n, unsigned status = 503);  // answered 5xx, not taken
  void drop_chunk(int n, uint64_t keep_bytes);    // closed after that many bytes, not taken
  void lose_chunk_reply(int n);                   // taken, then closed unanswered
  void expire_upload_urls();                      // every upload_url so far: 403
  void expire_upload_url_at_chunk(int n);         // chunk n finds its upload_url expired: 403
  // Chunk n is not answered for `delay`, then its connection closes; it is not taken (a test
  // kills the client meanwhile: a crash after the init).
  void stall_chunk(int n, Ms delay);
  void upload_url_lifetime(std::chrono::seconds lifetime);  // default 3600 s
  // How the answered Content-Range ends: "bytes 0-{bytes held}/{total}" as the docs print it
  // (default), or the last byte held ("bytes 0-{held - 1}/{total}", "bytes */{total}" at 0).
  void content_range_ends_at_last_byte(bool on);

  // --- status switches ---
  void processing_polls(int polls);  // PROCESSING_UPLOAD answers after the last chunk (default 1)
  void fail_next_post(std::string fail_reason);  // the next upload to complete ends FAILED
  // An upload left unfinished: still PROCESSING_UPLOAD (default), or FAILED with this reason
  // once its upload_url expired (whether TikTok ever says so is not documented).
  void abandoned_upload_fails(std::string fail_reason);
  void moderation_polls(int polls);  // a public post's ID shows this many polls after completing

  std::vector<Publish> publishes() const;
  // The publishes whose every byte arrived (posting began), whatever their status.
  std::vector<Publish> posts() const;
  std::vector<Put> puts() const;
  // Requests refused as malformed or out of order, with why.
  std::vector<std::string> rejections() const;
  std::map<std::string, int> faults_served() const;
  int refreshes() const;
  // The PKCE challenge of each authorize request the user consented to, in order.
  std::vector<std::string> challenges() const;

 private:
  struct Grant {
    std::string open_id, scope, refresh_token;
    Clock::time_point refresh_expiry;
    bool revoked = false;
  };
  struct AccessToken {
    size_t grant;
    Clock::time_point expiry;
  };
  struct Code {
    std::string code, open_id, redirect_uri, challenge, scope;
    bool redeemed = false;
  };
  struct Caller {
    std::string open_id, token;
  };
  struct PublishState {
    Publish record;
    Clock::time_point upload_expiry, created;
    std::string upload_id, upload_token;
    int polls_after_complete = 0;
    std::string pending_fail_reason;
  };
  struct UploadFault {
    enum Kind { fail, drop, lose_reply, expire, stall } kind = fail;
    unsigned status = 503;
    uint64_t keep = 0;
    Ms delay{0};
  };

  // OAuth (fake_tiktok_oauth.cpp).
  Reply authorize(const ReceivedRequest &r);
  Reply token(const ReceivedRequest &r);
  Reply revoke(const ReceivedRequest &r);
  Reply grant(const ReceivedRequest &r);
  Reply exchange(const std::string &code, const std::string &redirect_uri,
                 const std::string &verifier);
  Reply refresh(const std::string &refresh_token);
  Reply oauth_refusal(unsigned status, const std::string &error, const std::string &why);
  Reply token_answer(size_t grant);
  std::string issue_access(size_t grant);

  // The v2 API (fake_tiktok.cpp).
  Reply creator_info(const ReceivedRequest &r);
  Reply init(const ReceivedRequest &r, bool inbox);
  Reply status_fetch(const ReceivedRequest &r);
  std::optional<Reply> authenticate(const ReceivedRequest &r,
                                    const std::vector<std::string> &scopes, Caller &caller);
  std::optional<Reply> body_object(const ReceivedRequest &r, boost::json::object &body);
  bool over_rate_limit(const std::string &endpoint, const std::string &token, size_t per_minute);
  std::optional<Reply> post_info_problem(const boost::json::value &post_info,
                                         const Account &account);
  Reply api_error(unsigned status, const std::string &code, const std::string &message);
  boost::json::object status_of(PublishState &p);

  // The upload host (fake_tiktok_upload.cpp).
  Reply put(const ReceivedRequest &r);
  std::optional<size_t> cut(const ReceivedRequest &head);
  PublishState *upload_of(const ReceivedRequest &r);
  std::string content_range(const PublishState &p) const;

  const Client client_;
  const Options options_;
  mutable std::mutex mutex_;
  std::vector<Account> accounts_;
  std::vector<Grant> grants_;
  std::map<std::string, AccessToken> access_;
  std::vector<Code> codes_;
  std::vector<PublishState> publishes_;
  std::map<std::string, std::deque<Clock::time_point>> calls_;  // endpoint + token -> times
  std::vector<Put> puts_;
  std::vector<std::string> rejections_;
  std::map<std::string, int> faults_served_;
  std::map<int, UploadFault> upload_faults_;  // by chunk number

  bool deny_ = false;
  std::vector<std::string> unchecked_scopes_;
  std::chrono::seconds access_lifetime_{86400};
  bool replace_refresh_ = true;
  bool oauth_200_ = false;
  int failing_tokens_ = 0;
  unsigned failing_token_status_ = 503;
  bool lose_token_reply_ = false;
  int refreshes_ = 0;

  tiktok::MegaByte reading_ = tiktok::MegaByte::safe;
  bool rate_limits_ = true;
  bool unaudited_ = false;
  bool require_brand_toggle_ = true;
  int daily_cap_ = 15;
  std::deque<std::string> creator_refusals_, init_refusals_;
  bool lose_init_reply_ = false;
  int failing_inits_ = 0;
  unsigned failing_init_status_ = 503;
  std::chrono::seconds upload_lifetime_{3600};
  bool range_last_byte_ = false;
  int processing_polls_ = 1;
  std::string next_fail_reason_;
  std::string abandoned_fail_reason_;
  int moderation_polls_ = 1;

  FakeServer upload_;  // last: they stop before the state above goes
  FakeServer api_;
};

}  // namespace automuse::testing
