// tests/support/oauth/fake_oauth.cpp — the fake authorization server's endpoints.
#include "support/oauth/fake_oauth.hpp"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <sstream>

#include "support/encoding.hpp"
#include "support/fake_secrets.hpp"

namespace automuse::testing {
namespace json = boost::json;

namespace {

std::string random_token(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), static_cast<int>(raw.size()));
  return base64url(raw);
}

bool is_b64url(const std::string &s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

// RFC 7636 section 4.1: 43..128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
bool valid_verifier(const std::string &v) {
  return v.size() >= 43 && v.size() <= 128 && std::all_of(v.begin(), v.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
                  c == '~';
         });
}

std::string s256(const std::string &verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(verifier.data()), verifier.size(), digest);
  return base64url(std::string_view(reinterpret_cast<const char *>(digest), sizeof digest));
}

Reply oauth_error(unsigned status, const std::string &error, const std::string &description) {
  return Reply::json(
      json::value(json::object{{"error", error}, {"error_description", description}}), status);
}

}  // namespace

struct FakeOAuth::State {
  using Clock = std::chrono::steady_clock;
  struct LiveGrant {
    std::string refresh_token, access_token, scope, subject;
    std::optional<size_t> code;  // the authorization code it came from
    bool revoked = false;
  };
  struct Token {
    Clock::time_point expiry;
    size_t grant;
  };

  std::mutex mutex;
  Client client;
  Provider provider;
  bool deny = false;
  std::optional<std::pair<std::string, std::string>> next_tokens;
  std::optional<std::pair<std::string, std::string>> next_failure;
  int failing = 0, throttled = 0, retry_after = 0;
  unsigned failing_status = 503;
  bool lose_reply = false;
  int refreshes = 0;
  std::vector<Issued> issued;
  std::vector<LiveGrant> grants;
  std::map<std::string, Token> access;  // every access token issued
  std::vector<std::string> failures;
  std::map<std::string, std::string> last_authorize;

  Reply refuse_authorize(const std::string &why) {
    failures.push_back("authorize: " + why);
    return Reply::text(
        "<html><body><h1>Error 400: invalid_request</h1><p>" + why + "</p></body></html>", 400,
        "text/html; charset=utf-8");
  }
  Reply refuse_token(unsigned status, const std::string &error, const std::string &why) {
    failures.push_back("token: " + error + ": " + why);
    return oauth_error(status, error, why);
  }

  Reply authorize(const ReceivedRequest &req) {
    std::map<std::string, std::string> q;
    auto parsed = boost::urls::parse_origin_form(req.target);
    if (parsed)
      for (auto p : parsed->params()) q.emplace(std::string(p.key), std::string(p.value));
    last_authorize = q;
    auto get = [&](const char *k) { return q.count(k) ? q.at(k) : std::string(); };
    if (get("response_type") != "code") return refuse_authorize("response_type must be code");
    if (get("client_id") != client.id) return refuse_authorize("The OAuth client was not found.");
    const std::string redirect = get("redirect_uri");
    auto ru = boost::urls::parse_absolute_uri(redirect);
    if (!ru || ru->scheme() != "http" || ru->host() != "127.0.0.1" || !ru->has_port() ||
        ru->has_query() || ru->has_fragment())
      return refuse_authorize("redirect_uri must be http://127.0.0.1:PORT[/path]: " + redirect);
    std::string path(ru->path());
    std::string want = client.redirect_path == "/" ? "" : client.redirect_path;
    if ((path == "/" ? "" : path) != want)
      return refuse_authorize("redirect_uri path mismatch: " + redirect);
    if (client.redirect_port && ru->port_number() != *client.redirect_port)
      return refuse_authorize("redirect_uri port is not the registered one: " + redirect);
    std::istringstream scopes(get("scope"));
    std::vector<std::string> granted;
    for (std::string s; scopes >> s;) granted.push_back(s);
    for (auto &s : client.required_scopes)
      if (std::find(granted.begin(), granted.end(), s) == granted.end())
        return refuse_authorize("missing scope " + s);
    if (get("state").empty()) return refuse_authorize("missing state");
    if (get("code_challenge_method") != "S256")
      return refuse_authorize("code_challenge_method must be S256");
    const std::string challenge = get("code_challenge");
    if (challenge.size() != 43 || !is_b64url(challenge))
      return refuse_authorize("code_challenge is not a base64url SHA-256 (43 characters)");
    for (auto &[k, v] : client.required_params)
      if (get(k.c_str()) != v) return refuse_authorize("missing " + k + "=" + v);
    std::string back = redirect + "?";
    if (deny) {
      back += "error=access_denied&state=" + percent_encode(get("state"));
      return Reply::text("", 302).with_header("Location", back);
    }
    Issued i;
    i.code = "4/" + random_token(24);  // like Google's: the '/' must be percent-encoded
    i.redirect_uri = redirect;
    i.challenge = challenge;
    i.scope = get("scope");
    issued.push_back(i);
    back += "code=" + percent_encode(i.code) + "&state=" + percent_encode(get("state")) +
            "&scope=" + percent_encode(i.scope);
    return Reply::text("", 302).with_header("Location", back);
  }

  // Client authentication the registered way; empty when it passes.
  std::optional<Reply> authenticate(const ReceivedRequest &req,
                                    const std::multimap<std::string, std::string> &form) {
    auto one = [&](const char *k) {
      auto it = form.find(k);
      return it == form.end() ? std::string() : it->second;
    };
    if (client.id.empty()) return refuse_token(401, "invalid_client", "no client is registered");
    const auto basic = req.header("authorization");
    switch (client.auth) {
      case ClientAuth::post:
        if (basic) return refuse_token(401, "invalid_client", "unexpected Authorization header");
        if (one("client_id") != client.id || one("client_secret") != client.secret)
          return refuse_token(401, "invalid_client", "client_id/client_secret do not match");
        return std::nullopt;
      case ClientAuth::basic: {
        if (!basic || basic->rfind("Basic ", 0) != 0)
          return refuse_token(401, "invalid_client", "missing HTTP Basic client authentication");
        std::string pair = unbase64(basic->substr(6)).value_or("");
        auto colon = pair.find(':');
        if (colon == std::string::npos || percent_decode(pair.substr(0, colon)) != client.id ||
            percent_decode(pair.substr(colon + 1)) != client.secret)
          return refuse_token(401, "invalid_client", "Basic credentials do not match");
        if (form.count("client_secret"))
          return refuse_token(400, "invalid_request", "two client authentication methods");
        return std::nullopt;
      }
      case ClientAuth::none:
        if (basic || form.count("client_secret"))
          return refuse_token(401, "invalid_client", "a public client has no secret");
        if (one("client_id") != client.id)
          return refuse_token(401, "invalid_client", "client_id does not match");
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::string issue_access(size_t grant) {
    LiveGrant &g = grants[grant];
    g.access_token = provider.access_prefix + random_token(18);
    access[g.access_token] = {Clock::now() + std::chrono::seconds(provider.expires_in), grant};
    if (g.code) issued[*g.code].access_token = g.access_token;
    return g.access_token;
  }

  json::object token_answer(const LiveGrant &g, bool with_refresh) const {
    json::object o{{"access_token", g.access_token},
                   {"expires_in", provider.expires_in},
                   {"scope", g.scope},
                   {"token_type", provider.token_type}};
    if (with_refresh) o["refresh_token"] = g.refresh_token;
    return o;
  }

  // RFC 6749 section 6: a refresh grant, scoped no wider than the original.
  Reply refresh(const std::string &refresh_token, const std::string &scope) {
    if (refresh_token.empty())
      return refuse_token(400, "invalid_request", "Missing required parameter: refresh_token");
    auto it = std::find_if(grants.begin(), grants.end(), [&](const LiveGrant &g) {
      return !g.revoked && g.refresh_token == refresh_token;
    });
    if (it == grants.end())
      return refuse_token(400, provider.unknown_refresh_error,
                          provider.unknown_refresh_description);
    std::istringstream asked(scope);
    for (std::string s; asked >> s;)
      if ((" " + it->scope + " ").find(" " + s + " ") == std::string::npos)
        return refuse_token(400, "invalid_scope", "scope " + s + " was not granted");
    const size_t index = static_cast<size_t>(it - grants.begin());
    if (provider.rotate_refresh) {  // single use: the old tokens die now
      if (auto old = access.find(it->access_token); old != access.end())
        old->second.expiry = Clock::now();
      it->refresh_token = provider.refresh_prefix + random_token(30);
      if (it->code) issued[*it->code].refresh_token = it->refresh_token;
    }
    issue_access(index);
    ++refreshes;
    return Reply::json(json::value(token_answer(grants[index], provider.rotate_refresh)));
  }

  // RFC 6749 section 4.1.3 with RFC 7636 section 4.6.
  Reply exchange(const std::string &code, const std::string &redirect_uri,
                 const std::string &verifier) {
    if (code.empty())
      return refuse_token(400, "invalid_request", "Missing required parameter: code");
    auto it =
        std::find_if(issued.begin(), issued.end(), [&](const Issued &i) { return i.code == code; });
    if (it == issued.end()) return refuse_token(400, "invalid_grant", "unknown authorization code");
    const size_t code_index = static_cast<size_t>(it - issued.begin());
    if (it->redeemed) {  // section 10.5: a reused code revokes what it gave
      for (auto &g : grants)
        if (g.code == code_index) {
          g.revoked = true;
          if (auto a = access.find(g.access_token); a != access.end())
            a->second.expiry = Clock::now();
        }
      return refuse_token(400, "invalid_grant", "authorization code already redeemed");
    }
    it->redeemed = true;  // single use, whatever happens next
    if (redirect_uri != it->redirect_uri)
      return refuse_token(400, "invalid_grant",
                          "redirect_uri does not match the authorize request");
    if (!valid_verifier(verifier))
      return refuse_token(400, "invalid_grant",
                          "code_verifier is not 43-128 unreserved characters");
    if (s256(verifier) != it->challenge)
      return refuse_token(400, "invalid_grant", "code_verifier does not match the code_challenge");
    it->verifier = verifier;
    LiveGrant g;
    g.scope = it->scope;
    g.code = code_index;
    g.refresh_token = provider.refresh_prefix + random_token(30);
    grants.push_back(g);
    const size_t index = grants.size() - 1;
    issue_access(index);
    if (next_tokens) {  // the test chose them
      access.erase(grants[index].access_token);
      grants[index].access_token = next_tokens->first;
      grants[index].refresh_token = next_tokens->second;
      access[next_tokens->first] = {Clock::now() + std::chrono::seconds(provider.expires_in),
                                    index};
      next_tokens.reset();
    }
    it->access_token = grants[index].access_token;
    it->refresh_token = grants[index].refresh_token;
    return Reply::json(json::value(token_answer(grants[index], true)));
  }

  // Faults served before the request is even read.
  std::optional<Reply> injected_fault() {
    if (throttled > 0) {
      --throttled;
      return Reply::too_many_requests(retry_after);
    }
    if (failing > 0) {
      --failing;
      return Reply::error(failing_status);
    }
    return std::nullopt;
  }

  Reply token(const ReceivedRequest &req) {
    if (auto fault = injected_fault()) return *fault;
    Reply reply = grant(req);
    if (lose_reply && reply.status == 200) {
      lose_reply = false;
      return Reply::hang_up();
    }
    return reply;
  }

  Reply grant(const ReceivedRequest &req) {
    if (req.header("content-type").value_or("").rfind("application/x-www-form-urlencoded", 0) != 0)
      return refuse_token(400, "invalid_request",
                          "the body must be application/x-www-form-urlencoded");
    std::multimap<std::string, std::string> form;
    for (auto &[k, v] : parse_form(req.body)) form.emplace(k, v);
    auto one = [&](const char *k) {
      auto it = form.find(k);
      return it == form.end() ? std::string() : it->second;
    };
    for (auto &[k, v] : form)
      if (form.count(k) > 1) return refuse_token(400, "invalid_request", "repeated parameter " + k);
    if (auto refused = authenticate(req, form)) return *refused;
    if (next_failure) {
      auto [error, description] = *next_failure;
      next_failure.reset();
      return refuse_token(400, error, description);
    }
    const std::string grant_type = one("grant_type");
    if (grant_type.empty())
      return refuse_token(400, "invalid_request", "Missing required parameter: grant_type");
    if (grant_type == "refresh_token") return refresh(one("refresh_token"), one("scope"));
    if (grant_type == "authorization_code")
      return exchange(one("code"), one("redirect_uri"), one("code_verifier"));
    return refuse_token(400, "unsupported_grant_type", "grant_type " + grant_type);
  }
};

FakeOAuth::Provider FakeOAuth::google() {
  return {std::string(fake_secrets::kGoogleAccessPrefix),
          std::string(fake_secrets::kGoogleRefreshPrefix),
          "Bearer",
          3599,
          false,
          "invalid_grant",
          "Token has been expired or revoked.",
          "https://www.googleapis.com/auth/youtube.upload"};
}

FakeOAuth::Provider FakeOAuth::x() {
  return {std::string(fake_secrets::kXAccessPrefix),
          std::string(fake_secrets::kXRefreshPrefix),
          "bearer",
          7200,
          true,
          "invalid_request",
          "Value passed for the token was invalid.",
          "tweet.read tweet.write users.read offline.access"};
}

FakeOAuth::Client FakeOAuth::google_client(std::string id, std::string secret) {
  Client c;
  c.id = std::move(id);
  c.secret = std::move(secret);
  c.auth = ClientAuth::post;
  c.required_scopes = {google().default_scope};
  c.required_params = {{"access_type", "offline"}};
  return c;
}

FakeOAuth::FakeOAuth(Client client, Provider provider)
    : state_(std::make_shared<State>()),
      own_server_(std::make_unique<FakeServer>()),
      server_(own_server_.get()),
      token_path_("/token") {
  state_->client = std::move(client);
  state_->provider = std::move(provider);
  auto st = state_;
  server_->route("GET", "/authorize", [st](const ReceivedRequest &req) {
    std::lock_guard lock(st->mutex);
    return st->authorize(req);
  });
  mount();
}

FakeOAuth::FakeOAuth(Client client, Provider provider, FakeServer &host, std::string token_path)
    : state_(std::make_shared<State>()), server_(&host), token_path_(std::move(token_path)) {
  state_->client = std::move(client);
  state_->provider = std::move(provider);
  mount();
}

void FakeOAuth::mount() {
  auto st = state_;
  token_route_ = &server_->route("POST", token_path_, [st](const ReceivedRequest &req) {
    std::lock_guard lock(st->mutex);
    return st->token(req);
  });
}

void FakeOAuth::delay_token_replies(Ms delay) {
  token_route_->latency(delay);
}

FakeOAuth::~FakeOAuth() = default;

void FakeOAuth::register_client(Client client) {
  std::lock_guard lock(state_->mutex);
  state_->client = std::move(client);
}

void FakeOAuth::add_grant(Grant grant) {
  std::lock_guard lock(state_->mutex);
  State &s = *state_;
  State::LiveGrant g;
  g.refresh_token = std::move(grant.refresh_token);
  g.access_token = std::move(grant.access_token);
  g.scope = grant.scope.empty() ? s.provider.default_scope : std::move(grant.scope);
  g.subject = std::move(grant.subject);
  s.grants.push_back(g);
  if (!g.access_token.empty())
    s.access[g.access_token] = {State::Clock::now() + std::chrono::seconds(s.provider.expires_in),
                                s.grants.size() - 1};
}

void FakeOAuth::deny_consent(bool deny) {
  std::lock_guard lock(state_->mutex);
  state_->deny = deny;
}

void FakeOAuth::issue_next(std::string access_token, std::string refresh_token) {
  std::lock_guard lock(state_->mutex);
  state_->next_tokens = {std::move(access_token), std::move(refresh_token)};
}

void FakeOAuth::set_expires_in(int seconds) {
  std::lock_guard lock(state_->mutex);
  state_->provider.expires_in = seconds;
}

void FakeOAuth::fail_next_token(std::string error, std::string description) {
  std::lock_guard lock(state_->mutex);
  state_->next_failure = {std::move(error), std::move(description)};
}

void FakeOAuth::fail_token_requests(int count, unsigned status) {
  std::lock_guard lock(state_->mutex);
  state_->failing = count;
  state_->failing_status = status;
}

void FakeOAuth::throttle_token_requests(int count, int retry_after_seconds) {
  std::lock_guard lock(state_->mutex);
  state_->throttled = count;
  state_->retry_after = retry_after_seconds;
}

void FakeOAuth::lose_next_token_reply() {
  std::lock_guard lock(state_->mutex);
  state_->lose_reply = true;
}

void FakeOAuth::revoke_refresh_tokens() {
  std::lock_guard lock(state_->mutex);
  for (auto &g : state_->grants) g.revoked = true;
}

void FakeOAuth::expire_access_tokens() {
  std::lock_guard lock(state_->mutex);
  for (auto &[token, t] : state_->access) t.expiry = State::Clock::now();
}

bool FakeOAuth::access_token_valid(const std::string &bearer) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->access.find(bearer);
  return it != state_->access.end() && it->second.expiry > State::Clock::now();
}

bool FakeOAuth::issued_access_token(const std::string &bearer) const {
  std::lock_guard lock(state_->mutex);
  return state_->access.count(bearer) > 0;
}

std::string FakeOAuth::subject_of(const std::string &bearer) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->access.find(bearer);
  if (it == state_->access.end() || it->second.expiry <= State::Clock::now()) return {};
  return state_->grants[it->second.grant].subject;
}

std::optional<FakeOAuth::Grant> FakeOAuth::grant_of(const std::string &subject) const {
  std::lock_guard lock(state_->mutex);
  for (auto it = state_->grants.rbegin(); it != state_->grants.rend(); ++it)
    if (it->subject == subject)
      return Grant{it->refresh_token, it->access_token, it->scope, subject};
  return std::nullopt;
}

std::vector<FakeOAuth::Issued> FakeOAuth::issued() const {
  std::lock_guard lock(state_->mutex);
  return state_->issued;
}

std::vector<std::string> FakeOAuth::failures() const {
  std::lock_guard lock(state_->mutex);
  return state_->failures;
}

int FakeOAuth::refreshes() const {
  std::lock_guard lock(state_->mutex);
  return state_->refreshes;
}

std::map<std::string, std::string> FakeOAuth::last_authorize() const {
  std::lock_guard lock(state_->mutex);
  return state_->last_authorize;
}

}  // namespace automuse::testing
