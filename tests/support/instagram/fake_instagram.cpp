// tests/support/instagram/fake_instagram.cpp — the fake Instagram's three hosts: Instagram
// Login, the Graph API's Reels publishing, and rupload.
#include "support/instagram/fake_instagram.hpp"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <ctime>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <variant>

#include "support/digest.hpp"
#include "support/encoding.hpp"
#include "support/instagram/graph_error.hpp"
#include "support/instagram/loopback_fetch.hpp"

namespace automuse::testing {
namespace json = boost::json;
using instagram::graph_error;
using GraphError = FakeInstagram::GraphError;
using Params = std::map<std::string, std::string>;

namespace {

std::string random_text(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), static_cast<int>(raw.size()));
  return base64url(raw);
}

std::string s256(const std::string &verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(verifier.data()), verifier.size(), digest);
  return base64url(std::string_view(reinterpret_cast<const char *>(digest), sizeof digest));
}

std::string iso8601(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S+0000", &tm);
  return out;
}

std::vector<std::string> split(const std::string &text, char separator) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) out.push_back(part);
  return out;
}

bool contains(const std::vector<std::string> &list, const std::string &item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

Params query_params(const std::string &query) {
  Params out;
  for (auto &[k, v] : parse_form(query)) out[k] = v;
  return out;
}

// The fields of a multipart/form-data body (curl -F), by name.
Params multipart_fields(const std::string &content_type, const std::string &body) {
  Params out;
  auto b = content_type.find("boundary=");
  if (b == std::string::npos) return out;
  std::string boundary = content_type.substr(b + 9);
  if (!boundary.empty() && boundary.front() == '"')
    boundary = boundary.substr(1, boundary.find('"', 1) - 1);
  const std::string delim = "--" + boundary;
  size_t at = body.find(delim);
  while (at != std::string::npos) {
    at += delim.size();
    if (body.compare(at, 2, "--") == 0) break;
    size_t head_end = body.find("\r\n\r\n", at);
    size_t next = head_end == std::string::npos ? head_end : body.find("\r\n" + delim, head_end);
    if (next == std::string::npos) break;
    std::string head = body.substr(at, head_end - at);
    auto n = head.find("name=\"");
    if (n != std::string::npos)
      out[head.substr(n + 6, head.find('"', n + 6) - n - 6)] =
          body.substr(head_end + 4, next - head_end - 4);
    at = next + 2;
  }
  return out;
}

// A form body in either encoding the docs allow.
Params form_fields(const ReceivedRequest &req) {
  const std::string type = req.header("content-type").value_or("");
  if (type.rfind("multipart/form-data", 0) == 0) return multipart_fields(type, req.body);
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) return query_params(req.body);
  return {};
}

// Graph parameters: the query string plus a form or JSON body.
std::optional<Params> graph_params(const ReceivedRequest &req) {
  Params out = query_params(req.query);
  const std::string type = req.header("content-type").value_or("");
  if (type.rfind("application/json", 0) == 0 && !req.body.empty()) {
    boost::system::error_code ec;
    json::value body = json::parse(req.body, ec);
    if (ec || !body.is_object()) return std::nullopt;
    for (auto &[k, v] : body.as_object())
      out[std::string(k)] = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  } else {
    for (auto &[k, v] : form_fields(req)) out[k] = v;
  }
  return out;
}

std::string get(const Params &params, const std::string &key) {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

bool is_integer(const std::string &text) {
  return !text.empty() && text.size() < 19 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The login host's error shape (the code exchange).
Reply login_error(const std::string &message) {
  return Reply::json(
      json::value(json::object{
          {"error_type", "OAuthException"}, {"code", 400}, {"error_message", message}}),
      400);
}

// rupload's error shape: the message is itself a JSON text.
Reply rupload_error(unsigned status, bool retriable, const std::string &message) {
  json::object inner{{"success", false}, {"error", json::object{{"message", message}}}};
  return Reply::json(
      json::value(json::object{{"debug_info", json::object{{"retriable", retriable},
                                                           {"type", "ProcessingFailedError"},
                                                           {"message", json::serialize(inner)}}}}),
      status);
}

std::string error_key(GraphError error) {
  auto info = instagram::describe(error);
  return std::to_string(info.code) + "/" + std::to_string(info.subcode);
}

const std::set<std::string> kCreateParams = {
    "access_token", "media_type",   "video_url",  "upload_type",   "caption",   "share_to_feed",
    "cover_url",    "thumb_offset", "audio_name", "collaborators", "user_tags", "location_id"};
const std::set<std::string> kScopes = {
    "instagram_business_basic", "instagram_business_content_publish",
    "instagram_business_manage_messages", "instagram_business_manage_comments",
    "instagram_business_manage_insights"};

}  // namespace

struct FakeInstagram::State {
  struct Code {
    std::string user_id, redirect_uri, challenge;
    std::vector<std::string> scopes;
    int64_t issued_at = 0;
    bool used = false;
  };
  struct Fault {
    GraphError error;
    int count = 0;
  };

  mutable std::mutex mutex;
  App app;
  std::vector<User> users;
  std::string consenting_user;
  bool deny = false;
  int64_t clock_offset = 0;
  std::map<std::string, Code> codes;
  std::map<std::string, Token> tokens;
  std::map<std::string, Container> containers;
  std::vector<Reel> reels;
  std::map<std::string, std::vector<int64_t>> publishes;  // by user: fake-clock times
  std::vector<std::string> refusals;
  std::map<std::string, int> faults_served;
  std::vector<std::string> fetched_urls;
  uint64_t next_id = 17900000000000001ull;
  int processing_polls = 1;
  std::optional<std::pair<End, int>> next_end;
  std::map<std::string, int> polls_left;  // container id -> IN_PROGRESS answers still due
  std::map<std::string, std::pair<End, int>> planned_end;
  int quota_total = 50;
  std::map<Step, Fault> faults;
  std::optional<std::pair<Step, Fault>> faults_after_publish;
  bool lose_publish_reply = false;
  std::optional<std::string> code_exchange_failure;
  std::optional<uint64_t> drop_upload;
  std::optional<unsigned> fail_upload;
  bool fail_fetches = false;
  bool resumable_with_ig_login = false;
  bool nonzero_offset = false;
  bool wrapped_exchange = true;
  bool pkce = false;
  bool spam_after_publish = false;
  bool media_list_shows_reels = true;
  int republish_code = 100, republish_subcode = 0;
  std::vector<std::thread> fetchers;
  bool stopping = false;  // the fake is going: no more fetches start

  int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count() +
           clock_offset;
  }
  std::string new_id() { return std::to_string(next_id++); }

  const User *user(const std::string &id) const {
    for (auto &u : users)
      if (u.id == id) return &u;
    return nullptr;
  }

  Reply refuse(const std::string &why, Reply reply) {
    refusals.push_back(why);
    return reply;
  }
  Reply refuse(const std::string &why, int code, const std::string &message, int subcode = 0) {
    return refuse(why, graph_error(code, message, subcode));
  }

  // A pending fault for this step, served once per call.
  std::optional<Reply> fault(Step step) {
    auto it = faults.find(step);
    if (it == faults.end() || it->second.count == 0) return std::nullopt;
    --it->second.count;
    ++faults_served[error_key(it->second.error)];
    return graph_error(it->second.error);
  }

  Token issue(const std::string &user_id, TokenKind kind, std::vector<std::string> scopes) {
    Token t;
    t.value = (kind == TokenKind::short_lived ? "IGQ" : "IGAA") + random_text(24);
    t.user_id = user_id;
    t.kind = kind;
    t.issued_at = now();
    t.expires_at =
        now() + (kind == TokenKind::short_lived ? kShortLivedSeconds : kLongLivedExpiresIn);
    t.scopes = std::move(scopes);
    tokens[t.value] = t;
    return t;
  }

  // The caller's token, or the Graph refusal: missing (104), unknown (190), expired (190/463).
  std::variant<Token, Reply> authenticate(const ReceivedRequest &req, const Params &params) {
    std::string value = get(params, "access_token");
    if (auto auth = req.header("authorization")) {
      if (auth->rfind("Bearer ", 0) != 0)
        return refuse("Graph authorization is not Bearer", 190,
                      "Invalid OAuth access token - Cannot parse access token");
      value = auth->substr(7);
    }
    if (value.empty())
      return refuse("no access token", 104,
                    "An access token is required to request this resource.");
    auto it = tokens.find(value);
    if (it == tokens.end()) return refuse("unknown token", graph_error(GraphError::token_invalid));
    if (it->second.expires_at && it->second.expires_at <= now())
      return refuse("expired token", graph_error(GraphError::token_expired));
    return it->second;
  }

  // --- Instagram Login: the login host -------------------------------------------------------

  Reply authorize_refusal(const std::string &why) {
    refusals.push_back("authorize: " + why);
    return Reply::text("<html><body><h1>Invalid Request</h1><p>" + why + "</p></body></html>", 400,
                       "text/html; charset=utf-8");
  }

  bool redirect_allowed(const std::string &redirect) const {
    if (!app.redirect_uris.empty()) return contains(app.redirect_uris, redirect);
    auto u = boost::urls::parse_absolute_uri(redirect);
    return u && u->scheme() == "http" && u->host() == "127.0.0.1" && u->has_port() &&
           !u->has_query() && !u->has_fragment();
  }

  Reply authorize(const ReceivedRequest &req) {
    Params q = query_params(req.query);
    if (get(q, "client_id") != app.id) return authorize_refusal("Invalid app ID");
    const std::string redirect = get(q, "redirect_uri");
    if (!redirect_allowed(redirect)) return authorize_refusal("Invalid redirect_uri: " + redirect);
    if (get(q, "response_type") != "code") return authorize_refusal("response_type must be code");
    std::vector<std::string> scopes = split(get(q, "scope"), ',');
    if (!contains(scopes, "instagram_business_basic"))
      return authorize_refusal("instagram_business_basic is required");
    for (auto &s : scopes)
      if (!kScopes.count(s)) return authorize_refusal("Invalid Scopes: " + s);
    std::string challenge;
    if (pkce) {
      challenge = get(q, "code_challenge");
      if (get(q, "code_challenge_method") != "S256" || challenge.size() != 43)
        return authorize_refusal("code_challenge (S256) is required");
    }
    const std::string state = get(q, "state");
    std::string back = redirect + "?";
    if (deny || consenting_user.empty()) {
      back += "error=access_denied&error_reason=user_denied&error_description=" +
              percent_encode("Permissions error");
      if (!state.empty()) back += "&state=" + percent_encode(state);
      return Reply::text("", 302).with_header("Location", back);
    }
    const std::string code = "AQ" + random_text(30);
    codes[code] = {consenting_user, redirect, challenge, scopes, now(), false};
    back += "code=" + code;
    if (!state.empty()) back += "&state=" + percent_encode(state);
    return Reply::text("", 302).with_header("Location", back + "#_");
  }

  Reply exchange_code(const ReceivedRequest &req) {
    Params f = form_fields(req);
    auto refused = [&](const std::string &message) {
      refusals.push_back("code exchange: " + message);
      return login_error(message);
    };
    if (code_exchange_failure) {
      std::string message = *code_exchange_failure;
      code_exchange_failure.reset();
      ++faults_served["code_exchange"];
      return login_error(message);
    }
    if (get(f, "client_id") != app.id) return refused("Invalid platform app");
    if (get(f, "client_secret") != app.secret) return refused("Error validating client secret.");
    if (get(f, "grant_type") != "authorization_code")
      return refused("Unsupported grant_type: " + get(f, "grant_type"));
    auto it = codes.find(get(f, "code"));
    if (it == codes.end() || it->second.used || it->second.issued_at + 3600 <= now())
      return refused("Matching code was not found or was already used");
    Code &code = it->second;
    if (get(f, "redirect_uri") != code.redirect_uri)
      return refused(
          "Error validating verification code. Please make sure your redirect_uri "
          "is identical to the one you used in the OAuth dialog request");
    if (pkce && s256(get(f, "code_verifier")) != code.challenge)
      return refused("Invalid code_verifier");
    code.used = true;
    Token t = issue(code.user_id, TokenKind::short_lived, code.scopes);
    std::string permissions;
    for (auto &s : code.scopes) permissions += (permissions.empty() ? "" : ",") + s;
    json::object answer{
        {"access_token", t.value}, {"user_id", t.user_id}, {"permissions", permissions}};
    if (!wrapped_exchange) return Reply::json(json::value(answer));
    return Reply::json(json::value(json::object{{"data", json::array{answer}}}));
  }

  // --- Instagram Login: long-lived tokens on the Graph host ----------------------------------

  Reply long_lived_answer(const Token &t) const {
    return Reply::json(json::value(json::object{{"access_token", t.value},
                                                {"token_type", "bearer"},
                                                {"expires_in", t.expires_at - now()}}));
  }

  Reply exchange_token(const ReceivedRequest &req) {
    Params q = query_params(req.query);
    if (req.method != "GET")
      return refuse("ig_exchange_token by " + req.method, 100, "Unsupported post request.");
    if (auto f = fault(Step::token)) return *f;
    if (get(q, "grant_type") != "ig_exchange_token")
      return refuse("bad grant_type", 100, "Invalid grant_type: must be ig_exchange_token");
    if (get(q, "client_secret") != app.secret)
      return refuse("bad client_secret", 100, "Error validating client secret.");
    auto who = authenticate(req, q);
    if (auto *r = std::get_if<Reply>(&who)) return *r;
    const Token &shortt = std::get<Token>(who);
    if (shortt.kind != TokenKind::short_lived)
      return refuse("exchange of a token that is not short-lived", 100,
                    "Only a short-lived Instagram User token can be exchanged.");
    return long_lived_answer(issue(shortt.user_id, TokenKind::long_lived, shortt.scopes));
  }

  Reply refresh_token(const ReceivedRequest &req) {
    Params q = query_params(req.query);
    if (req.method != "GET")
      return refuse("ig_refresh_token by " + req.method, 100, "Unsupported post request.");
    if (auto f = fault(Step::token)) return *f;
    if (get(q, "grant_type") != "ig_refresh_token")
      return refuse("bad grant_type", 100, "Invalid grant_type: must be ig_refresh_token");
    auto who = authenticate(req, q);
    if (auto *r = std::get_if<Reply>(&who)) return *r;
    const Token &old = std::get<Token>(who);
    if (old.kind != TokenKind::long_lived)
      return refuse("refresh of a token that is not long-lived", 100,
                    "Only a long-lived Instagram User token can be refreshed.");
    if (now() - old.issued_at < kMinRefreshAge)
      return refuse("refresh of a token younger than 24 h", 100,
                    "The access token must be at least 24 hours old to be refreshed.");
    if (!contains(old.scopes, "instagram_business_basic"))
      return refuse("refresh without instagram_business_basic", 10,
                    "The user has not granted instagram_business_basic.");
    return long_lived_answer(issue(old.user_id, TokenKind::long_lived, old.scopes));
  }

  // --- Graph: containers, status, publish, limit ----------------------------------------------

  // Moves a container along with the clock: 24 h without publishing is EXPIRED.
  void age(Container &c) {
    if (c.status_code != "PUBLISHED" && c.status_code != "EXPIRED" &&
        c.created_at + kContainerLifetime <= now())
      c.status_code = "EXPIRED";
  }

  void bytes_arrived(Container &c) {
    polls_left[c.id] = processing_polls;
    c.status_code = "IN_PROGRESS";
  }

  // One status read of a container whose bytes are in: IN_PROGRESS for the polls due, then
  // the planned end.
  void poll(Container &c) {
    auto due = polls_left.find(c.id);
    if (c.status_code != "IN_PROGRESS" || due == polls_left.end()) return;
    if (due->second-- > 0) return;
    polls_left.erase(due);
    auto [end, subcode] = planned_end[c.id];
    if (end == End::finished) c.status_code = "FINISHED";
    if (end == End::expired) c.status_code = "EXPIRED";
    if (end == End::error) {
      c.status_code = "ERROR";
      c.error_subcode = subcode;
    }
  }

  std::string status_text(const Container &c) const {
    if (c.status_code == "ERROR")
      return "Error: Media upload has failed with error code " + std::to_string(c.error_subcode);
    if (c.status_code == "FINISHED") return "Finished: Media container is ready to be published.";
    if (c.status_code == "PUBLISHED") return "Published: Media has been published.";
    if (c.status_code == "EXPIRED")
      return "Expired: Media container was not published in 24 hours.";
    return "In Progress: Media is still being processed.";
  }

  // Instagram Login tokens publish only with instagram_business_content_publish.
  std::optional<Reply> check_publish_scope(const Token &t) {
    if (t.kind == TokenKind::facebook || contains(t.scopes, "instagram_business_content_publish"))
      return std::nullopt;
    return refuse("no content_publish scope", 10,
                  "(#10) Application does not have permission for this action");
  }

  std::optional<Reply> check_create(const Params &p, const Token &t, const std::string &owner) {
    for (auto &[k, v] : p)
      if (!kCreateParams.count(k))
        return refuse("unknown parameter " + k, 100,
                      "(#100) Param " + k + " is not a valid parameter");
    if (t.user_id != owner)
      return refuse("container for another user", 100,
                    "Unsupported post request. Object with ID '" + owner +
                        "' does not exist, cannot be loaded due to missing permissions, or "
                        "does not support this operation.",
                    33);
    if (auto refused = check_publish_scope(t)) return *refused;
    if (get(p, "media_type") != "REELS")
      return refuse("media_type " + get(p, "media_type"), 100,
                    "(#100) media_type must be REELS for a video (this fake models Reels only)");
    const bool by_url = p.count("video_url"), resumable = p.count("upload_type");
    if (by_url == resumable)
      return refuse("video_url xor upload_type", 100,
                    "(#100) Exactly one of video_url and upload_type=resumable is required");
    if (resumable && get(p, "upload_type") != "resumable")
      return refuse("upload_type " + get(p, "upload_type"), 100,
                    "(#100) upload_type must be resumable");
    if (by_url && get(p, "video_url").empty())
      return refuse("empty video_url", 100, "(#100) video_url is empty");
    if (p.count("share_to_feed") && get(p, "share_to_feed") != "true" &&
        get(p, "share_to_feed") != "false")
      return refuse("share_to_feed " + get(p, "share_to_feed"), 100,
                    "(#100) share_to_feed must be a boolean");
    if (p.count("thumb_offset") && !is_integer(get(p, "thumb_offset")))
      return refuse("thumb_offset " + get(p, "thumb_offset"), 100,
                    "(#100) thumb_offset must be a whole number of milliseconds");
    int recent = 0;
    for (auto &[id, c] : containers)
      if (c.user_id == owner && c.created_at + kContainerLifetime > now()) ++recent;
    if (recent >= kContainersPerDay)
      return refuse("400 containers in 24 h", 9,
                    "(#9) This account has created 400 containers in the last 24 hours");
    return std::nullopt;
  }

  Reply create(const ReceivedRequest &req, const Params &p, const Token &t,
               const std::string &owner, const std::string &version, FakeInstagram &self);

  Reply read_container(Container &c, const Params &p) {
    age(c);
    poll(c);
    json::object out{{"id", c.id}};
    for (auto &field : split(get(p, "fields"), ',')) {
      if (field == "id") continue;
      if (field == "status_code")
        out["status_code"] = c.status_code;
      else if (field == "status")
        out["status"] = status_text(c);
      else
        return refuse("container field " + field, 100,
                      "(#100) Tried accessing nonexisting field (" + field +
                          ") on node type (ShadowIGMediaBuilder)");
    }
    return Reply::json(json::value(out));
  }

  json::object media_fields(const Reel &r, const std::vector<std::string> &fields,
                            std::string &unknown) const {
    json::object out{{"id", r.media_id}};
    for (auto &field : fields) {
      if (field == "id") continue;
      if (field == "media_type")
        out["media_type"] = "VIDEO";
      else if (field == "media_product_type")
        out["media_product_type"] = "REELS";
      else if (field == "timestamp")
        out["timestamp"] = r.timestamp;
      else if (field == "caption")
        out["caption"] = r.caption;
      else if (field == "permalink")
        out["permalink"] = "https://www.instagram.com/reel/" + r.media_id + "/";
      else if (unknown.empty())
        unknown = field;
    }
    return out;
  }

  Reply read_media(const Reel &r, const Params &p) {
    std::string unknown;
    json::object out = media_fields(r, split(get(p, "fields"), ','), unknown);
    if (!unknown.empty())
      return refuse("media field " + unknown, 100,
                    "(#100) Tried accessing nonexisting field (" + unknown +
                        ") on node type (ShadowIGMedia)");
    return Reply::json(json::value(out));
  }

  Reply media_list(const std::string &owner, const Params &p) {
    json::array data;
    std::string unknown;
    if (media_list_shows_reels)
      for (auto it = reels.rbegin(); it != reels.rend(); ++it)  // newest first
        if (it->user_id == owner)
          data.push_back(media_fields(*it, split(get(p, "fields"), ','), unknown));
    if (!unknown.empty())
      return refuse("media field " + unknown, 100,
                    "(#100) Tried accessing nonexisting field (" + unknown +
                        ") on node type (ShadowIGMedia)");
    return Reply::json(json::value(json::object{{"data", data}, {"paging", json::object{}}}));
  }

  int usage(const std::string &owner) {
    auto &times = publishes[owner];
    std::erase_if(times, [&](int64_t at) { return at + 86400 <= now(); });
    return static_cast<int>(times.size());
  }

  Reply limit(const std::string &owner, const Params &p) {
    if (auto f = fault(Step::limit)) return *f;
    if (p.count("since")) {
      const std::string since = get(p, "since");
      if (!is_integer(since) || std::stoll(since) < now() - 86400 || std::stoll(since) > now())
        return refuse("since " + since, 100,
                      "(#100) since must be a unix timestamp within the last 24 hours");
    }
    json::object entry;
    for (auto &field : split(p.count("fields") ? get(p, "fields") : "quota_usage", ',')) {
      if (field == "quota_usage")
        entry["quota_usage"] = usage(owner);
      else if (field == "config")
        entry["config"] = json::object{{"quota_total", quota_total}, {"quota_duration", 86400}};
      else
        return refuse("limit field " + field, 100,
                      "(#100) Tried accessing nonexisting field (" + field + ")");
    }
    return Reply::json(json::value(json::object{{"data", json::array{entry}}}));
  }

  Reply publish(const Params &p, const Token &t, const std::string &owner) {
    for (auto &[k, v] : p)
      if (k != "creation_id" && k != "access_token")
        return refuse("unknown parameter " + k, 100,
                      "(#100) Param " + k + " is not a valid parameter");
    if (t.user_id != owner)
      return refuse("publish for another user", 100,
                    "Unsupported post request. Object with ID '" + owner +
                        "' does not exist, cannot be loaded due to missing permissions, or "
                        "does not support this operation.",
                    33);
    if (auto refused = check_publish_scope(t)) return *refused;
    if (auto f = fault(Step::publish)) return *f;
    auto it = containers.find(get(p, "creation_id"));
    if (it == containers.end() || it->second.user_id != owner)
      return refuse("unknown creation_id", graph_error(GraphError::media_not_found));
    Container &c = it->second;
    age(c);
    if (c.status_code == "EXPIRED")
      return refuse("publish of an expired container", graph_error(GraphError::container_expired));
    if (c.status_code == "ERROR")
      return refuse("publish of a failed container",
                    graph_error(instagram::error_for_subcode(c.error_subcode)));
    if (c.status_code == "PUBLISHED")
      return refuse("second publish of container " + c.id, republish_code,
                    "(#" + std::to_string(republish_code) +
                        ") This media container has already been published.",
                    republish_subcode);
    if (c.status_code != "FINISHED")
      return refuse("publish before FINISHED", graph_error(GraphError::not_ready));
    if (usage(owner) >= quota_total)
      return refuse("over the publishing limit", graph_error(GraphError::daily_limit));
    return commit(c);
  }

  Reply commit(Container &c) {
    Reel r;
    r.media_id = std::to_string(next_id++ + 100000000000000ull);
    r.container_id = c.id;
    r.user_id = c.user_id;
    r.caption = get(c.params, "caption");
    r.share_to_feed = get(c.params, "share_to_feed") != "false";
    r.timestamp = iso8601(now());
    r.bytes = c.bytes;
    r.size = c.bytes.size();
    r.sha256 = sha256_hex(c.bytes);
    reels.push_back(r);
    publishes[c.user_id].push_back(now());
    c.status_code = "PUBLISHED";
    c.media_id = r.media_id;
    if (faults_after_publish) {
      faults[faults_after_publish->first] = faults_after_publish->second;
      faults_after_publish.reset();
    }
    if (lose_publish_reply) {
      lose_publish_reply = false;
      ++faults_served["lost_publish_reply"];
      return Reply::hang_up();
    }
    if (spam_after_publish) {
      spam_after_publish = false;
      ++faults_served["spam_after_publish"];
      return graph_error(GraphError::spam);
    }
    return Reply::json(json::value(json::object{{"id", r.media_id}}));
  }

  Reply user_node(const User &u, const Params &p) {
    json::object out{{"id", u.id}};
    for (auto &field : split(get(p, "fields"), ',')) {
      if (field == "id") continue;
      if (field == "user_id")
        out["user_id"] = u.id;
      else if (field == "username")
        out["username"] = u.username;
      else if (field == "account_type")
        out["account_type"] = "BUSINESS";
      else
        return refuse(
            "user field " + field, 100,
            "(#100) Tried accessing nonexisting field (" + field + ") on node type (IGUser)");
    }
    return Reply::json(json::value(out));
  }

  Reply graph(const ReceivedRequest &req, FakeInstagram &self) {
    static const std::regex kVersion("v[0-9]+\\.[0-9]+");
    std::vector<std::string> parts = split(req.path.substr(1), '/');
    if (parts.size() < 2 || !std::regex_match(parts[0], kVersion))
      return refuse("no version in " + req.path, 2500,
                    "Unknown path components: the version goes first (/v25.0/...)");
    auto params = graph_params(req);
    if (!params) return refuse("body is not a JSON object", 100, "(#100) Invalid JSON body");
    auto who = authenticate(req, *params);
    if (auto *r = std::get_if<Reply>(&who)) return *r;
    const Token token = std::get<Token>(who);
    const std::string node = parts[1] == "me" ? token.user_id : parts[1];
    const std::string edge = parts.size() > 2 ? parts[2] : "";
    if (parts.size() > 3) return refuse("path " + req.path, 2500, "Unknown path components");
    if (req.method == "POST" && edge == "media")
      return create(req, *params, token, node, parts[0], self);
    if (req.method == "POST" && edge == "media_publish") return publish(*params, token, node);
    if (req.method != "GET")
      return refuse(req.method + " " + req.path, 100, "Unsupported request.");
    if (edge == "content_publishing_limit" || edge == "media") {
      if (token.user_id != node)
        return refuse("edge of another user", 100, "Unsupported get request.", 33);
      return edge == "media" ? media_list(node, *params) : limit(node, *params);
    }
    if (!edge.empty()) return refuse("edge " + edge, 2500, "Unknown path components: /" + edge);
    if (auto it = containers.find(node);
        it != containers.end() && it->second.user_id == token.user_id) {
      if (auto f = fault(Step::status)) return *f;
      return read_container(it->second, *params);
    }
    for (auto &r : reels)
      if (r.media_id == node && r.user_id == token.user_id) return read_media(r, *params);
    if (node == token.user_id)
      if (const User *u = user(node)) return user_node(*u, *params);
    return refuse("unknown node " + node, 100,
                  "Unsupported get request. Object with ID '" + node +
                      "' does not exist, cannot be loaded due to missing permissions, or does "
                      "not support this operation.",
                  33);
  }

  // --- rupload ---------------------------------------------------------------------------------

  Reply unauthorized_upload(const std::string &why) {
    refusals.push_back("rupload: " + why);
    return rupload_error(400, false, "unauthorized user request");
  }

  Reply upload(const ReceivedRequest &req, FakeInstagram &self);
  void start_fetch(const std::string &container_id, const std::string &url, FakeInstagram &self);
};

// A GET of the URL on a thread of its own, as Instagram downloads a public URL after answering.
void FakeInstagram::State::start_fetch(const std::string &container_id, const std::string &url,
                                       FakeInstagram &self) {
  fetched_urls.push_back(url);
  if (stopping) return;
  std::weak_ptr<State> weak = self.state_;
  const bool fail = fail_fetches;
  fetchers.emplace_back([weak, container_id, url, fail] {
    instagram::Fetched got;
    if (fail)
      got.why = "fetches fail (switch)";
    else
      got = instagram::fetch_loopback(url);
    auto s = weak.lock();
    if (!s) return;
    std::lock_guard lock(s->mutex);
    Container &c = s->containers.at(container_id);
    s->age(c);
    if (c.status_code != "IN_PROGRESS") return;  // expired while it was fetched
    if (got.bytes) {
      c.bytes = std::move(*got.bytes);
      c.file_size = c.bytes.size();
      s->bytes_arrived(c);
      return;
    }
    s->refusals.push_back("fetch of " + url + " failed: " + got.why);
    ++s->faults_served["fetch_failed"];
    c.status_code = "ERROR";
    c.error_subcode = instagram::describe(got.timed_out ? GraphError::download_timeout
                                                        : GraphError::url_not_fetchable)
                          .subcode;
  });
}

Reply FakeInstagram::State::create(const ReceivedRequest &, const Params &p, const Token &t,
                                   const std::string &owner, const std::string &version,
                                   FakeInstagram &self) {
  if (auto refused = check_create(p, t, owner)) return *refused;
  if (auto f = fault(Step::create)) return *f;
  Container c;
  c.id = new_id();
  c.user_id = owner;
  c.params = p;
  c.params.erase("access_token");
  c.status_code = "IN_PROGRESS";
  c.created_at = now();
  planned_end[c.id] = next_end.value_or(std::pair{End::finished, 0});
  next_end.reset();
  json::object answer{{"id", c.id}};
  if (p.count("video_url")) {
    c.source = "video_url";
    c.video_url = get(p, "video_url");
  } else {
    c.source = "resumable";
    answer["uri"] = self.rupload_url() + "/ig-api-upload/" + version + "/" + c.id;
  }
  containers[c.id] = c;
  if (c.source == "video_url") start_fetch(c.id, c.video_url, self);
  return Reply::json(json::value(answer));
}

Reply FakeInstagram::State::upload(const ReceivedRequest &req, FakeInstagram &self) {
  std::vector<std::string> parts = split(req.path.substr(1), '/');
  if (parts.size() != 3 || parts[0] != "ig-api-upload")
    return rupload_error(404, false, "unknown upload path " + req.path);
  const std::string auth = req.header("authorization").value_or("");
  if (auth.rfind("OAuth ", 0) != 0) return unauthorized_upload("Authorization is not OAuth");
  auto tok = tokens.find(auth.substr(6));
  if (tok == tokens.end() || (tok->second.expires_at && tok->second.expires_at <= now()))
    return unauthorized_upload("unknown or expired token");
  auto it = containers.find(parts[2]);
  if (it == containers.end() || it->second.user_id != tok->second.user_id)
    return unauthorized_upload("container of another user or unknown");
  if (tok->second.kind != TokenKind::facebook && !resumable_with_ig_login)
    return unauthorized_upload("an Instagram Login token on rupload");
  if (fail_upload && req.complete) {
    unsigned status = *fail_upload;
    fail_upload.reset();
    ++faults_served["upload_5xx"];
    return rupload_error(status, true, "Please retry.");
  }
  Container &c = it->second;
  age(c);
  if (c.source != "resumable" || c.status_code != "IN_PROGRESS" || polls_left.count(c.id))
    return refuse("upload to container " + c.id + " in state " + c.status_code,
                  rupload_error(400, false, "This container does not take an upload."));
  const std::string offset = req.header("offset").value_or(""),
                    size = req.header("file_size").value_or("");
  if (!is_integer(offset) || !is_integer(size) || std::stoull(size) == 0)
    return refuse("offset/file_size headers",
                  rupload_error(400, false, "offset and file_size headers are required"));
  const uint64_t at = std::stoull(offset), total = std::stoull(size);
  if (c.file_size && total != c.file_size && at != 0)
    return refuse("file_size changed", rupload_error(400, false, "file_size does not match"));
  if (at != 0 && (!nonzero_offset || at != c.bytes.size()))
    return refuse("offset " + offset + " with " + std::to_string(c.bytes.size()) + " held",
                  rupload_error(400, false,
                                "offset " + offset + " is not accepted; the server holds " +
                                    std::to_string(c.bytes.size()) + " bytes"));
  if (auto file_url = req.header("file_url")) {
    if (req.body_size != 0 || at != 0)
      return refuse("file_url with a body or an offset",
                    rupload_error(400, false, "file_url takes no body and offset 0"));
    c.source = "file_url";  // no other upload from now on
    c.video_url = *file_url;
    start_fetch(c.id, c.video_url, self);
    return Reply::json(R"({"success":true,"message":"Upload successful."})");
  }
  if (at + req.body_size > total)
    return refuse("body past file_size", rupload_error(400, false, "body exceeds file_size"));
  if (at == 0) c.bytes.clear();
  c.file_size = total;
  c.bytes += req.body;
  if (!req.complete) {
    ++faults_served["upload_dropped"];
    return Reply::hang_up();
  }
  if (c.bytes.size() == total) bytes_arrived(c);
  return Reply::json(R"({"success":true,"message":"Upload successful."})");
}

FakeInstagram::FakeInstagram(App app) : state_(std::make_shared<State>()) {
  state_->app = std::move(app);
  std::weak_ptr<State> weak = state_;
  auto locked = [weak, this](auto member) {
    return [weak, this, member](const ReceivedRequest &req) {
      auto s = weak.lock();
      if (!s) return Reply::error(503);
      std::lock_guard lock(s->mutex);
      return member(*s, req, *this);
    };
  };
  login_.route(
      "GET", "/oauth/authorize",
      locked([](State &s, const ReceivedRequest &r, FakeInstagram &) { return s.authorize(r); }));
  login_.route("*", "/oauth/access_token",
               locked([](State &s, const ReceivedRequest &r, FakeInstagram &) {
                 if (r.method != "POST") return login_error("The code exchange is a POST");
                 return s.exchange_code(r);
               }));
  graph_.route("*", "/*", locked([](State &s, const ReceivedRequest &r, FakeInstagram &self) {
                 return s.graph(r, self);
               }));
  graph_.route("*", "/access_token",
               locked([](State &s, const ReceivedRequest &r, FakeInstagram &) {
                 return s.exchange_token(r);
               }));
  graph_.route("*", "/refresh_access_token",
               locked([](State &s, const ReceivedRequest &r, FakeInstagram &) {
                 return s.refresh_token(r);
               }));
  rupload_
      .route("POST", "/ig-api-upload/*",
             locked([](State &s, const ReceivedRequest &r, FakeInstagram &self) {
               return s.upload(r, self);
             }))
      .close_mid_request_if([weak](const ReceivedRequest &) -> std::optional<size_t> {
        auto s = weak.lock();
        if (!s) return std::nullopt;
        std::lock_guard lock(s->mutex);
        auto keep = s->drop_upload;
        s->drop_upload.reset();
        return keep;
      });
}

FakeInstagram::~FakeInstagram() {
  std::vector<std::thread> fetchers;
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    fetchers.swap(state_->fetchers);
  }
  for (auto &t : fetchers) t.join();
}

void FakeInstagram::add_user(User user) {
  std::lock_guard lock(state_->mutex);
  if (!user.access_token.empty()) {
    Token t;
    t.value = user.access_token;
    t.user_id = user.id;
    t.kind = user.login == Login::facebook ? TokenKind::facebook : TokenKind::long_lived;
    t.issued_at = state_->now();
    t.expires_at = user.login == Login::facebook ? 0 : state_->now() + kLongLivedExpiresIn;
    t.scopes = user.scopes;
    state_->tokens[t.value] = t;
  }
  if (state_->consenting_user.empty() && user.login == Login::instagram)
    state_->consenting_user = user.id;
  state_->users.push_back(std::move(user));
}

namespace {

template <class Change>
void under_lock(FakeInstagram::State &state, Change change) {
  std::lock_guard lock(state.mutex);
  change(state);
}

}  // namespace

void FakeInstagram::set_consenting_user(const std::string &id) {
  under_lock(*state_, [&](State &s) { s.consenting_user = id; });
}
void FakeInstagram::deny_consent(bool deny) {
  under_lock(*state_, [&](State &s) { s.deny = deny; });
}
void FakeInstagram::advance_clock(int64_t seconds) {
  under_lock(*state_, [&](State &s) { s.clock_offset += seconds; });
}
int64_t FakeInstagram::now() const {
  std::lock_guard lock(state_->mutex);
  return state_->now();
}
void FakeInstagram::processing_polls(int polls) {
  under_lock(*state_, [&](State &s) { s.processing_polls = polls; });
}
void FakeInstagram::next_container_ends(End end, int subcode) {
  under_lock(*state_, [&](State &s) { s.next_end = std::pair(end, subcode); });
}
void FakeInstagram::set_quota_total(int total) {
  under_lock(*state_, [&](State &s) { s.quota_total = total; });
}
void FakeInstagram::use_quota(const std::string &user_id, int count) {
  under_lock(*state_, [&](State &s) {
    for (int i = 0; i < count; ++i) s.publishes[user_id].push_back(s.now());
  });
}
void FakeInstagram::fail_next(Step step, GraphError error, int count) {
  under_lock(*state_, [&](State &s) { s.faults[step] = {error, count}; });
}
void FakeInstagram::lose_next_publish_reply() {
  under_lock(*state_, [&](State &s) { s.lose_publish_reply = true; });
}
void FakeInstagram::fail_after_next_publish(Step step, GraphError error, int count) {
  under_lock(*state_, [&](State &s) {
    s.faults_after_publish = std::pair(step, State::Fault{error, count});
  });
}
void FakeInstagram::fail_next_code_exchange(std::string message) {
  under_lock(*state_, [&](State &s) { s.code_exchange_failure = std::move(message); });
}
void FakeInstagram::drop_next_upload(uint64_t keep_bytes) {
  under_lock(*state_, [&](State &s) { s.drop_upload = keep_bytes; });
}
void FakeInstagram::fail_next_upload(unsigned status) {
  under_lock(*state_, [&](State &s) { s.fail_upload = status; });
}
void FakeInstagram::fail_video_fetches(bool on) {
  under_lock(*state_, [&](State &s) { s.fail_fetches = on; });
}
void FakeInstagram::resumable_with_instagram_login(bool accept) {
  under_lock(*state_, [&](State &s) { s.resumable_with_ig_login = accept; });
}
void FakeInstagram::accept_nonzero_offset(bool accept) {
  under_lock(*state_, [&](State &s) { s.nonzero_offset = accept; });
}
void FakeInstagram::wrap_code_exchange(bool wrapped) {
  under_lock(*state_, [&](State &s) { s.wrapped_exchange = wrapped; });
}
void FakeInstagram::require_pkce(bool required) {
  under_lock(*state_, [&](State &s) { s.pkce = required; });
}
void FakeInstagram::spam_refusal_after_next_publish() {
  under_lock(*state_, [&](State &s) { s.spam_after_publish = true; });
}
void FakeInstagram::media_list_shows_reels(bool shows) {
  under_lock(*state_, [&](State &s) { s.media_list_shows_reels = shows; });
}
void FakeInstagram::republish_refusal(int code, int subcode) {
  under_lock(*state_, [&](State &s) {
    s.republish_code = code;
    s.republish_subcode = subcode;
  });
}

std::vector<FakeInstagram::Reel> FakeInstagram::reels() const {
  std::lock_guard lock(state_->mutex);
  return state_->reels;
}
std::vector<FakeInstagram::Container> FakeInstagram::containers() const {
  std::lock_guard lock(state_->mutex);
  std::vector<Container> out;
  for (auto &[id, c] : state_->containers) out.push_back(c);
  return out;
}
std::optional<FakeInstagram::Token> FakeInstagram::token(const std::string &value) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->tokens.find(value);
  if (it == state_->tokens.end()) return std::nullopt;
  return it->second;
}
std::vector<std::string> FakeInstagram::refusals() const {
  std::lock_guard lock(state_->mutex);
  return state_->refusals;
}
std::map<std::string, int> FakeInstagram::faults_served() const {
  std::lock_guard lock(state_->mutex);
  return state_->faults_served;
}
std::vector<std::string> FakeInstagram::fetched_urls() const {
  std::lock_guard lock(state_->mutex);
  return state_->fetched_urls;
}

}  // namespace automuse::testing
