// tests/support/x/fake_x.hpp — a loopback fake of the X API v2 (docs/protocols/x-api.md) on the
// fake-server kit: POST /2/tweets, GET /2/users/me and /2/users/:id/tweets, the chunked
// media upload (initialize, append, finalize, STATUS polling) and OAuth 2 token refresh.
// Every request is authenticated the way X does it: OAuth 1.0a signatures are recomputed and
// checked (consumer key, token, timestamp window, nonce reuse), bearer tokens must be
// current. Posts are stored as X does: every http(s) link in the text becomes a t.co link
// (entities.urls carry url, expanded_url, display_url and start/end in code points, returned
// when tweet.fields asks for entities), and a post with media gets a t.co link to it appended.
// Faults: 429 with x-rate-limit-* headers, usage cap, duplicate content, a post accepted and
// then the connection dropped or a 5xx answered, a 5xx before posting, a timeline that fails,
// media processing that stays pending or fails. A hook runs as each post is made (before the
// answer), and the faults served are counted.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_server.hpp"
#include "support/oauth/fake_oauth.hpp"

namespace automuse::testing {

class FakeX {
 public:
  struct User {
    std::string id, username;
    std::string consumer_key, consumer_secret, access_token, access_token_secret;
    std::string bearer_token;   // OAuth 2 access token accepted for this user ("" = none)
    std::string refresh_token;  // single use: refreshing replaces both
  };
  struct Link {
    size_t start = 0, end = 0;  // code points in shown_text
    std::string url;            // https://t.co/...
    std::string expanded_url, display_url;
    std::string media_key;  // set for the link to the post's media
  };
  struct Post {
    std::string id, user_id, text;  // text: as it was sent
    std::vector<std::string> media_ids;
    std::string shown_text;  // as X returns it: links as t.co, a media link appended
    std::vector<Link> links;
  };
  struct Media {
    std::string id, user_id, media_type, category;
    uint64_t total_bytes = 0;
    std::map<int, std::string> segments;  // segment_index -> bytes
    bool finalized = false;
    int status_polls = 0;
    std::string state;  // "", pending, in_progress, succeeded, failed
  };

  FakeX();
  ~FakeX();

  FakeServer &server() { return server_; }
  std::string base_url() const { return server_.base_url(); }

  void add_user(User user);
  // The OAuth 2 app whose refreshes are accepted; with a secret it is a confidential client,
  // which must authenticate with HTTP Basic, without one a public client. Unset: every
  // refresh is refused (invalid_client).
  void register_oauth2_client(std::string client_id, std::string client_secret);
  // Answer no POST /2/tweets until `requests` of them have arrived (then all, and later ones at
  // once): runs that start apart still meet X together.
  void hold_posts_until(size_t requests);
  // A slow token endpoint: every refresh's answer waits this long (after X processed it).
  void delay_token_replies(Ms delay);

  // Faults. Each applies to the next matching requests.
  void rate_limit_posts(int count, int reset_in_seconds);  // 429 + x-rate-limit-reset
  void usage_capped(bool on);                              // 429 usage-capped on posts
  void drop_after_accepting_next_post();  // record the post, then close with no reply
  void fail_after_accepting_next_post(unsigned status = 503);  // record it, then answer 5xx
  void fail_next_post(unsigned status = 503);                  // answer 5xx without posting
  // The next `count` reads of a user's timeline (GET /2/users/:id/tweets) answer `status`.
  void fail_timeline(int count, unsigned status = 503);
  // Media processing: STATUS answers pending this many times, then succeeded (or failed).
  void media_processing(int pending_polls, bool fail, int check_after_secs);

  // Called as each post is created (stored), before the answer goes out: a test can kill the
  // client in the window after X accepted and before the client hears of it. Runs on the
  // server's thread with the fake's lock held: keep it short.
  void on_post_created(std::function<void(const Post &)> hook);
  // How many times each fault has been served, by kind: drop_after_post, 5xx_after_post,
  // 5xx_before_post, timeline_5xx.
  std::map<std::string, int> faults_served() const;

  std::vector<Post> posts() const;
  std::vector<Media> media() const;
  User user(const std::string &id) const;
  // Requests refused for bad authentication, with why (signature mismatch...).
  std::vector<std::string> auth_failures() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  FakeServer server_;
  Route *posts_route_ = nullptr;
};

}  // namespace automuse::testing
