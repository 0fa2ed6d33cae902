// tests/support/x/fake_x.cpp — the fake X API v2: routes, OAuth checks and faults.
#include "support/x/fake_x.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <string_view>
#include <utility>

#include "support/encoding.hpp"

namespace automuse::testing {
namespace json = boost::json;

namespace {

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string hmac_sha1_b64(const std::string &key, const std::string &data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char *>(data.data()), data.size(), mac, &len);
  return base64(std::string_view(reinterpret_cast<const char *>(mac), len));
}

Reply problem(unsigned status, const std::string &title, const std::string &detail,
              const std::string &type = "about:blank") {
  Reply r =
      Reply::json(json::value(json::object{
                      {"title", title}, {"detail", detail}, {"type", type}, {"status", status}}),
                  status);
  for (auto &[k, v] : r.headers)
    if (k == "Content-Type" || k == "content-type") v = "application/problem+json";
  return r;
}

Reply unauthorized() {
  return problem(401, "Unauthorized", "Unauthorized");
}

// One part of a multipart/form-data body.
struct Part {
  std::string name, content;
};

std::vector<Part> parse_multipart(const std::string &content_type, const std::string &body) {
  std::vector<Part> parts;
  auto b = content_type.find("boundary=");
  if (b == std::string::npos) return parts;
  std::string boundary = content_type.substr(b + 9);
  if (!boundary.empty() && boundary.front() == '"')
    boundary = boundary.substr(1, boundary.find('"', 1) - 1);
  const std::string delim = "--" + boundary;
  size_t at = body.find(delim);
  while (at != std::string::npos) {
    at += delim.size();
    if (body.compare(at, 2, "--") == 0) break;
    at += 2;  // CRLF
    size_t head_end = body.find("\r\n\r\n", at);
    if (head_end == std::string::npos) break;
    std::string head = body.substr(at, head_end - at);
    size_t next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string::npos) break;
    Part p;
    auto n = head.find("name=\"");
    if (n != std::string::npos) p.name = head.substr(n + 6, head.find('"', n + 6) - n - 6);
    p.content = body.substr(head_end + 4, next - head_end - 4);
    parts.push_back(std::move(p));
    at = next + 2;
  }
  return parts;
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The http(s) links of a text, as [begin, end) byte offsets: up to the next whitespace, less
// the punctuation that ends a sentence.
std::vector<std::pair<size_t, size_t>> links_in(const std::string &text) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t at = 0;
  while (true) {
    size_t a = text.find("http://", at), b = text.find("https://", at);
    size_t begin = std::min(a, b);
    if (begin == std::string::npos) break;
    size_t end = begin;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    while (end > begin && std::string_view(".,;:!?)'\"").find(text[end - 1]) != std::string::npos)
      --end;
    out.emplace_back(begin, end);
    at = end;
  }
  return out;
}

}  // namespace

struct FakeX::State {
  mutable std::mutex mutex;
  std::vector<User> users;
  std::vector<Post> posts;
  std::map<std::string, Media> media;
  std::set<std::string> nonces;
  std::vector<std::string> auth_failures;
  uint64_t next_id = 1850000000000000001ull;
  int rate_limited_posts = 0;
  int rate_limit_reset_in = 1;
  bool usage_capped = false;
  bool drop_next_post = false;
  std::function<void(const Post &)> on_post_created;
  std::map<std::string, int> faults_served;
  unsigned fail_after_next_post = 0;  // a 5xx status, 0 = none
  unsigned fail_next_post = 0;
  int failing_timeline_reads = 0;
  unsigned failing_timeline_status = 503;
  uint64_t next_tco = 1;
  int pending_polls = 0;
  bool processing_fails = false;
  int check_after_secs = 1;
  std::shared_ptr<FakeOAuth> oauth2;  // issues and checks the OAuth 2 bearer tokens

  std::string new_id() { return std::to_string(next_id++); }

  std::string new_tco() {
    static const char kAlphabet[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint64_t n = (next_tco++) * 0x9E3779B97F4A7C15ull;
    std::string id;
    for (int i = 0; i < 10; ++i, n /= 62) id += kAlphabet[n % 62];
    return "https://t.co/" + id;
  }

  // The post as X stores it: links as t.co, then the media link.
  void rewrite(Post &post, const User &user) {
    std::string shown;
    size_t at = 0;
    for (auto [begin, end] : links_in(post.text)) {
      shown.append(post.text, at, begin - at);
      Link link;
      link.url = new_tco();
      link.expanded_url = post.text.substr(begin, end - begin);
      std::string display = link.expanded_url.substr(link.expanded_url.find("//") + 2);
      if (display.rfind("www.", 0) == 0) display = display.substr(4);
      if (code_points(display) > 26) display = display.substr(0, 26) + "\u2026";
      link.display_url = display;
      link.start = code_points(shown);
      shown += link.url;
      link.end = code_points(shown);
      post.links.push_back(std::move(link));
      at = end;
    }
    shown.append(post.text, at, std::string::npos);
    if (!post.media_ids.empty()) {
      Link media;
      media.url = new_tco();
      media.expanded_url = "https://x.com/" + user.username + "/status/" + post.id + "/video/1";
      media.display_url = "pic.x.com/" + media.url.substr(13);
      media.media_key = "7_" + post.media_ids.front();
      if (!shown.empty()) shown += ' ';
      media.start = code_points(shown);
      shown += media.url;
      media.end = code_points(shown);
      post.links.push_back(std::move(media));
    }
    post.shown_text = std::move(shown);
  }

  // A post in the API's shape; entities only when asked for, as X does.
  static json::object post_json(const Post &post, bool entities) {
    json::object o{{"id", post.id},
                   {"text", post.shown_text},
                   {"edit_history_tweet_ids", json::array{json::value(post.id)}}};
    if (entities && !post.links.empty()) {
      json::array urls;
      for (const Link &l : post.links) {
        json::object u{{"start", l.start},
                       {"end", l.end},
                       {"url", l.url},
                       {"expanded_url", l.expanded_url},
                       {"display_url", l.display_url}};
        if (!l.media_key.empty()) u["media_key"] = l.media_key;
        urls.push_back(std::move(u));
      }
      o["entities"] = json::object{{"urls", std::move(urls)}};
    }
    return o;
  }

  // The authenticated user, or nullptr after noting why not. Caller holds the mutex.
  const User *authenticate(const ReceivedRequest &req, const std::string &base_url) {
    auto fail = [&](std::string why) -> const User * {
      auth_failures.push_back(req.method + " " + req.path + ": " + why);
      return nullptr;
    };
    auto header = req.header("authorization");
    if (!header) return fail("no Authorization header");
    if (header->rfind("Bearer ", 0) == 0) {
      const std::string subject = oauth2->subject_of(header->substr(7));
      for (auto &u : users)
        if (!subject.empty() && u.id == subject) return &u;
      return fail("unknown or expired bearer token");
    }
    if (header->rfind("OAuth ", 0) != 0) return fail("unknown authorization scheme");
    std::map<std::string, std::string> oauth;
    std::string_view rest = std::string_view(*header).substr(6);
    while (!rest.empty()) {
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',')) rest.remove_prefix(1);
      auto eq = rest.find("=\"");
      if (eq == std::string_view::npos) break;
      auto close = rest.find('"', eq + 2);
      if (close == std::string_view::npos) return fail("malformed OAuth header");
      oauth[percent_decode(rest.substr(0, eq))] =
          percent_decode(rest.substr(eq + 2, close - eq - 2));
      rest.remove_prefix(close + 1);
    }
    for (const char *k : {"oauth_consumer_key", "oauth_nonce", "oauth_signature",
                          "oauth_signature_method", "oauth_timestamp", "oauth_token"})
      if (!oauth.count(k)) return fail(std::string("missing ") + k);
    if (oauth["oauth_signature_method"] != "HMAC-SHA1") return fail("not HMAC-SHA1");
    if (oauth.count("oauth_version") && oauth["oauth_version"] != "1.0") return fail("version");
    const User *user = nullptr;
    for (auto &u : users)
      if (u.access_token == oauth["oauth_token"] && u.consumer_key == oauth["oauth_consumer_key"])
        user = &u;
    if (!user) return fail("unknown consumer key or token");
    int64_t ts = std::stoll(oauth["oauth_timestamp"]);
    if (std::abs(ts - now_seconds()) > 300) return fail("timestamp out of window");
    if (!nonces.insert(oauth["oauth_token"] + "/" + oauth["oauth_nonce"]).second)
      return fail("nonce reused");

    Pairs params;
    for (auto &[k, v] : oauth)
      if (k != "oauth_signature") params.emplace_back(k, v);
    for (auto &p : parse_form(req.query)) params.push_back(p);
    auto ct = req.header("content-type");
    if (ct && ct->rfind("application/x-www-form-urlencoded", 0) == 0)
      for (auto &p : parse_form(req.body)) params.push_back(p);
    Pairs encoded;
    for (auto &[k, v] : params) encoded.emplace_back(percent_encode(k), percent_encode(v));
    std::sort(encoded.begin(), encoded.end());
    std::string joined;
    for (auto &[k, v] : encoded) joined += (joined.empty() ? "" : "&") + k + "=" + v;
    std::string base =
        req.method + "&" + percent_encode(base_url + req.path) + "&" + percent_encode(joined);
    std::string expected = hmac_sha1_b64(
        percent_encode(user->consumer_secret) + "&" + percent_encode(user->access_token_secret),
        base);
    if (expected != oauth["oauth_signature"]) return fail("signature mismatch");
    return user;
  }

  json::object processing_info(const Media &m) const {
    json::object info{{"state", m.state}};
    if (m.state == "pending" || m.state == "in_progress") {
      info["check_after_secs"] = check_after_secs;
      if (m.state == "in_progress") info["progress_percent"] = 50;
    }
    if (m.state == "failed")
      info["error"] = json::object{
          {"code", 1}, {"name", "InvalidMedia"}, {"message", "Unsupported video encoding"}};
    return info;
  }
};

FakeX::FakeX() : state_(std::make_shared<State>()) {
  auto st = state_;
  FakeServer *server = &server_;

  posts_route_ =
      &server_.route("POST", "/2/tweets", [st, server](const ReceivedRequest &req) -> Reply {
        std::lock_guard lock(st->mutex);
        const User *user = st->authenticate(req, server->base_url());
        if (!user) return unauthorized();
        std::string reset = std::to_string(now_seconds() + st->rate_limit_reset_in);
        if (st->usage_capped)
          return problem(429, "UsageCapExceeded", "Usage cap exceeded: Monthly product cap",
                         "https://api.twitter.com/2/problems/usage-capped");
        if (st->rate_limited_posts > 0) {
          --st->rate_limited_posts;
          return problem(429, "Too Many Requests", "Too Many Requests")
              .with_header("x-rate-limit-limit", "100")
              .with_header("x-rate-limit-remaining", "0")
              .with_header("x-rate-limit-reset", reset);
        }
        json::value body;
        try {
          body = req.json();
        } catch (...) {
          return problem(400, "Invalid Request", "The request body is not JSON",
                         "https://api.twitter.com/2/problems/invalid-request");
        }
        auto *o = body.if_object();
        auto *text = o ? o->if_contains("text") : nullptr;
        if (!o || !text || !text->is_string())
          return problem(400, "Invalid Request", "text: required string",
                         "https://api.twitter.com/2/problems/invalid-request");
        Post post;
        post.user_id = user->id;
        post.text = std::string(text->as_string());
        if (auto *m = o->if_contains("media")) {
          auto *ids = m->is_object() ? m->as_object().if_contains("media_ids") : nullptr;
          if (!ids || !ids->is_array() || ids->as_array().empty() || ids->as_array().size() > 4)
            return problem(400, "Invalid Request", "media.media_ids: 1 to 4 ids",
                           "https://api.twitter.com/2/problems/invalid-request");
          for (auto &id : ids->as_array()) {
            auto it =
                id.is_string() ? st->media.find(std::string(id.as_string())) : st->media.end();
            if (it == st->media.end() || it->second.user_id != user->id ||
                it->second.state != "succeeded")
              return Reply::json(R"({"errors":[{"message":"Your media IDs are invalid."}],)"
                                 R"("title":"Invalid Request","detail":"One or more parameters to )"
                                 R"(your request was invalid.","type":"https://api.twitter.com/2/)"
                                 R"(problems/invalid-request"})",
                                 400);
            post.media_ids.push_back(it->first);
          }
        }
        for (auto &p : st->posts)
          if (p.user_id == user->id && p.text == post.text)
            return problem(403, "Forbidden",
                           "You are not allowed to create a Tweet with duplicate content.");
        if (unsigned status = std::exchange(st->fail_next_post, 0u)) {
          ++st->faults_served["5xx_before_post"];
          return problem(status, "Service Unavailable", "Service Unavailable");
        }
        post.id = st->new_id();
        st->rewrite(post, *user);
        st->posts.push_back(post);
        if (st->on_post_created) st->on_post_created(post);
        if (st->drop_next_post) {
          st->drop_next_post = false;
          ++st->faults_served["drop_after_post"];
          return Reply::hang_up();
        }
        if (unsigned status = std::exchange(st->fail_after_next_post, 0u)) {
          ++st->faults_served["5xx_after_post"];
          return problem(status, "Service Unavailable", "Service Unavailable");
        }
        return Reply::json(json::value(json::object{{"data", State::post_json(post, false)}}), 201)
            .with_header("x-rate-limit-limit", "100")
            .with_header("x-rate-limit-remaining", "99")
            .with_header("x-rate-limit-reset", reset);
      });

  server_.route("GET", "/2/users/*", [st, server](const ReceivedRequest &req) -> Reply {
    std::lock_guard lock(st->mutex);
    const User *user = st->authenticate(req, server->base_url());
    if (!user) return unauthorized();
    if (req.path == "/2/users/me")
      return Reply::json(
          json::value(json::object{{"data", json::object{{"id", user->id},
                                                         {"name", user->username},
                                                         {"username", user->username}}}}));
    // /2/users/:id/tweets, newest first.
    std::string rest = req.path.substr(std::string("/2/users/").size());
    auto slash = rest.find('/');
    if (slash == std::string::npos || rest.substr(slash) != "/tweets")
      return problem(404, "Not Found Error", "no such resource");
    std::string id = rest.substr(0, slash);
    if (st->failing_timeline_reads > 0) {
      --st->failing_timeline_reads;
      ++st->faults_served["timeline_5xx"];
      return problem(st->failing_timeline_status, "Service Unavailable", "Service Unavailable");
    }
    size_t max = 10;
    if (auto m = req.query_param("max_results")) {
      max = std::stoul(*m);
      if (max < 5 || max > 100)
        return problem(
            400, "Invalid Request",
            "The `max_results` query parameter value [" + *m + "] is not between 5 and 100",
            "https://api.twitter.com/2/problems/invalid-request");
    }
    const std::string fields = req.query_param("tweet.fields").value_or("");
    const bool entities = ("," + fields + ",").find(",entities,") != std::string::npos;
    json::array data;
    for (auto it = st->posts.rbegin(); it != st->posts.rend() && data.size() < max; ++it)
      if (it->user_id == id) data.push_back(State::post_json(*it, entities));
    json::object meta{{"result_count", data.size()}};
    if (!data.empty()) {
      meta["newest_id"] = data.front().at("id");
      meta["oldest_id"] = data.back().at("id");
    }
    json::object out{{"meta", meta}};
    if (!data.empty()) out["data"] = std::move(data);
    return Reply::json(json::value(out));
  });

  server_.route("POST", "/2/media/upload/*", [st, server](const ReceivedRequest &req) -> Reply {
    std::lock_guard lock(st->mutex);
    const User *user = st->authenticate(req, server->base_url());
    if (!user) return unauthorized();
    auto invalid = [](const std::string &detail) {
      return problem(400, "Invalid Request", detail,
                     "https://api.twitter.com/2/problems/invalid-request");
    };
    if (req.path == "/2/media/upload/initialize") {
      json::value body;
      try {
        body = req.json();
      } catch (...) {
        return invalid("body is not JSON");
      }
      auto *o = body.if_object();
      if (!o) return invalid("body is not an object");
      auto *type = o->if_contains("media_type");
      auto *total = o->if_contains("total_bytes");
      auto *category = o->if_contains("media_category");
      if (!type || !type->is_string() || type->as_string() != "video/mp4")
        return invalid("media_type: only video/mp4 here");
      if (!total || !total->is_int64() || total->as_int64() <= 0 ||
          total->as_int64() > 512ll * 1024 * 1024)
        return invalid("total_bytes: 1 to 536870912");
      if (!category || !category->is_string() || category->as_string() != "tweet_video")
        return invalid("media_category: expected tweet_video");
      Media m;
      m.id = st->new_id();
      m.user_id = user->id;
      m.media_type = "video/mp4";
      m.category = "tweet_video";
      m.total_bytes = static_cast<uint64_t>(total->as_int64());
      st->media[m.id] = m;
      return Reply::json(json::value(json::object{
          {"data", json::object{
                       {"id", m.id}, {"media_key", "7_" + m.id}, {"expires_after_secs", 86400}}}}));
    }
    // /2/media/upload/{id}/append | finalize
    std::string rest = req.path.substr(std::string("/2/media/upload/").size());
    auto slash = rest.find('/');
    if (slash == std::string::npos) return problem(404, "Not Found Error", "no such resource");
    auto it = st->media.find(rest.substr(0, slash));
    if (it == st->media.end() || it->second.user_id != user->id)
      return invalid("media id unknown to this user");
    Media &m = it->second;
    std::string command = rest.substr(slash + 1);
    if (command == "append") {
      if (m.finalized) return invalid("media already finalized");
      auto parts = parse_multipart(req.header("content-type").value_or(""), req.body);
      std::optional<int> index;
      std::optional<std::string> bytes;
      for (auto &p : parts) {
        if (p.name == "segment_index") index = std::stoi(p.content);
        if (p.name == "media") bytes = p.content;
      }
      if (!index || *index < 0 || *index > 999) return invalid("segment_index: 0 to 999");
      if (!bytes) return invalid("media: the segment's bytes are required");
      m.segments[*index] = *bytes;
      return Reply::json(
          json::value(json::object{{"data", json::object{{"expires_at", now_seconds() + 86400}}}}));
    }
    if (command == "finalize") {
      uint64_t size = 0;
      int expected = 0;
      for (auto &[i, s] : m.segments) {
        if (i != expected++) return invalid("segments are not contiguous from 0");
        size += s.size();
      }
      if (size != m.total_bytes)
        return invalid("File size mismatch: got " + std::to_string(size) + " of " +
                       std::to_string(m.total_bytes) + " bytes");
      m.finalized = true;
      m.state = (st->pending_polls > 0 || st->processing_fails) ? "pending" : "succeeded";
      json::object data{
          {"id", m.id}, {"media_key", "7_" + m.id}, {"size", size}, {"expires_after_secs", 86400}};
      if (m.state != "succeeded") data["processing_info"] = st->processing_info(m);
      return Reply::json(json::value(json::object{{"data", data}}));
    }
    return problem(404, "Not Found Error", "no such resource");
  });

  server_.route("GET", "/2/media/upload", [st, server](const ReceivedRequest &req) -> Reply {
    std::lock_guard lock(st->mutex);
    const User *user = st->authenticate(req, server->base_url());
    if (!user) return unauthorized();
    if (req.query_param("command").value_or("") != "STATUS")
      return problem(400, "Invalid Request", "command: STATUS expected");
    auto it = st->media.find(req.query_param("media_id").value_or(""));
    if (it == st->media.end() || it->second.user_id != user->id)
      return problem(400, "Invalid Request", "media_id unknown to this user");
    Media &m = it->second;
    if (!m.finalized) return problem(400, "Invalid Request", "media not finalized");
    if (m.state == "pending" || m.state == "in_progress") {
      ++m.status_polls;
      if (m.status_polls < st->pending_polls)
        m.state = m.status_polls == 1 ? "pending" : "in_progress";
      else
        m.state = st->processing_fails ? "failed" : "succeeded";
    }
    return Reply::json(json::value(
        json::object{{"data", json::object{{"id", m.id},
                                           {"media_key", "7_" + m.id},
                                           {"processing_info", st->processing_info(m)}}}}));
  });

  // OAuth 2: the shared fake authorization server's token endpoint, on the API host as X has it.
  st->oauth2 =
      std::make_shared<FakeOAuth>(FakeOAuth::Client{}, FakeOAuth::x(), server_, "/2/oauth2/token");
}

FakeX::~FakeX() = default;

void FakeX::hold_posts_until(size_t requests) {
  posts_route_->hold_replies_until(requests);
}

void FakeX::delay_token_replies(Ms delay) {
  state_->oauth2->delay_token_replies(delay);
}

void FakeX::register_oauth2_client(std::string client_id, std::string client_secret) {
  FakeOAuth::Client client;
  client.id = std::move(client_id);
  client.auth = client_secret.empty() ? FakeOAuth::ClientAuth::none : FakeOAuth::ClientAuth::basic;
  client.secret = std::move(client_secret);
  state_->oauth2->register_client(std::move(client));
}

void FakeX::add_user(User user) {
  std::lock_guard lock(state_->mutex);
  if (!user.bearer_token.empty() || !user.refresh_token.empty())
    state_->oauth2->add_grant({user.refresh_token, user.bearer_token, "", user.id});
  state_->users.push_back(std::move(user));
}

void FakeX::rate_limit_posts(int count, int reset_in_seconds) {
  std::lock_guard lock(state_->mutex);
  state_->rate_limited_posts = count;
  state_->rate_limit_reset_in = reset_in_seconds;
}

void FakeX::usage_capped(bool on) {
  std::lock_guard lock(state_->mutex);
  state_->usage_capped = on;
}

void FakeX::drop_after_accepting_next_post() {
  std::lock_guard lock(state_->mutex);
  state_->drop_next_post = true;
}

void FakeX::fail_after_accepting_next_post(unsigned status) {
  std::lock_guard lock(state_->mutex);
  state_->fail_after_next_post = status;
}

void FakeX::fail_next_post(unsigned status) {
  std::lock_guard lock(state_->mutex);
  state_->fail_next_post = status;
}

void FakeX::fail_timeline(int count, unsigned status) {
  std::lock_guard lock(state_->mutex);
  state_->failing_timeline_reads = count;
  state_->failing_timeline_status = status;
}

void FakeX::media_processing(int pending_polls, bool fail, int check_after_secs) {
  std::lock_guard lock(state_->mutex);
  state_->pending_polls = pending_polls;
  state_->processing_fails = fail;
  state_->check_after_secs = check_after_secs;
}

void FakeX::on_post_created(std::function<void(const Post &)> hook) {
  std::lock_guard lock(state_->mutex);
  state_->on_post_created = std::move(hook);
}

std::map<std::string, int> FakeX::faults_served() const {
  std::lock_guard lock(state_->mutex);
  return state_->faults_served;
}

std::vector<FakeX::Post> FakeX::posts() const {
  std::lock_guard lock(state_->mutex);
  return state_->posts;
}

std::vector<FakeX::Media> FakeX::media() const {
  std::lock_guard lock(state_->mutex);
  std::vector<Media> out;
  for (auto &[id, m] : state_->media) out.push_back(m);
  return out;
}

FakeX::User FakeX::user(const std::string &id) const {
  std::lock_guard lock(state_->mutex);
  for (User u : state_->users)
    if (u.id == id) {
      if (auto grant = state_->oauth2->grant_of(id)) {  // the tokens as refreshed since
        u.bearer_token = grant->access_token;
        u.refresh_token = grant->refresh_token;
      }
      return u;
    }
  return {};
}

std::vector<std::string> FakeX::auth_failures() const {
  std::lock_guard lock(state_->mutex);
  return state_->auth_failures;
}

}  // namespace automuse::testing
