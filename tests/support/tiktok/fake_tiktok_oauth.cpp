// tests/support/tiktok/fake_tiktok_oauth.cpp — FakeTikTok's OAuth 2.0 endpoints as TikTok's
// desktop Login Kit uses them: the consent at /v2/auth/authorize/, the code exchange with the
// hex PKCE check, refresh and revoke at /v2/oauth/.
#include <openssl/rand.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "support/digest.hpp"
#include "support/encoding.hpp"
#include "support/tiktok/fake_tiktok.hpp"

namespace automuse::testing {
namespace json = boost::json;

namespace {

const std::vector<std::string> kScopes = {"user.info.basic", "video.publish", "video.upload"};

std::string random_text(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), static_cast<int>(raw.size()));
  return base64url(raw);
}

std::string refresh_token_text() {
  return std::string(fake_secrets::kTikTokRefreshPrefix) + random_text(36);
}

// 43..128 characters of [A-Za-z0-9-._~].
bool valid_verifier(const std::string &v) {
  return v.size() >= 43 && v.size() <= 128 && std::all_of(v.begin(), v.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
                  c == '~';
         });
}

std::vector<std::string> split_commas(const std::string &s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= s.size()) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

Reply error_page(const std::string &why) {
  return Reply::text("<html><body><h1>Something went wrong</h1><p>" + why + "</p></body></html>",
                     400, "text/html; charset=utf-8");
}

}  // namespace

std::string FakeTikTok::add_account(Account account) {
  std::lock_guard lock(mutex_);
  if (account.open_id.empty())
    account.open_id = "-000" + random_text(12) + "-" + std::to_string(accounts_.size() + 1);
  accounts_.push_back(account);
  return account.open_id;
}

FakeTikTok::Tokens FakeTikTok::authorise(const std::string &open_id, std::string scope) {
  std::lock_guard lock(mutex_);
  grants_.push_back(
      {open_id, scope, refresh_token_text(), Clock::now() + std::chrono::hours(24 * 365)});
  const std::string access = issue_access(grants_.size() - 1);
  return {access, grants_.back().refresh_token, open_id, scope};
}

std::string FakeTikTok::issue_access(size_t grant) {
  const std::string token = std::string(fake_secrets::kTikTokAccessPrefix) + random_text(36);
  access_[token] = {grant, Clock::now() + access_lifetime_};
  return token;
}

Reply FakeTikTok::oauth_refusal(unsigned status, const std::string &error, const std::string &why) {
  rejections_.push_back("oauth: " + error + ": " + why);
  return Reply::json(json::value(tiktok::oauth_error(error, why)), oauth_200_ ? 200 : status);
}

Reply FakeTikTok::authorize(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> q;
  if (auto parsed = boost::urls::parse_origin_form(r.target))
    for (auto p : parsed->params()) q.emplace(std::string(p.key), std::string(p.value));
  auto get = [&](const char *k) { return q.count(k) ? q.at(k) : std::string(); };
  auto refuse = [&](const std::string &why) {
    rejections_.push_back("authorize: " + why);
    return error_page(why);
  };
  if (q.count("client_id")) return refuse("TikTok takes client_key, not client_id");
  if (get("client_key") != client_.key) return refuse("unknown client_key");
  const std::string redirect = get("redirect_uri");
  auto ru = boost::urls::parse_absolute_uri(redirect);
  if (!ru || ru->scheme() != "http" || (ru->host() != "127.0.0.1" && ru->host() != "localhost") ||
      !ru->has_port() || ru->has_query() || ru->has_fragment() ||
      std::string(ru->path()) != client_.redirect_path)
    return refuse("redirect_uri is not the registered http://127.0.0.1:*" + client_.redirect_path +
                  ": " + redirect);
  // From here on the answer goes back to the app.
  auto back = [&](const std::string &error, const std::string &why) {
    rejections_.push_back("authorize: " + error + ": " + why);
    return Reply::text("", 302).with_header(
        "Location", redirect + "?error=" + error + "&error_description=" + percent_encode(why) +
                        "&state=" + percent_encode(get("state")));
  };
  if (get("response_type") != "code") return back("unsupported_response_type", "want code");
  std::vector<std::string> asked = split_commas(get("scope"));
  for (const auto &s : asked)
    if (std::find(kScopes.begin(), kScopes.end(), s) == kScopes.end())
      return back("invalid_scope", "unknown scope '" + s + "' (scopes are comma-separated)");
  if (get("state").empty()) return back("invalid_request", "state is missing");
  if (get("code_challenge_method") != "S256")
    return back("invalid_request", "code_challenge_method must be S256");
  if (get("code_challenge").empty()) return back("invalid_request", "code_challenge is missing");
  if (accounts_.empty()) return back("server_error", "the fake has no account to consent");
  if (deny_) return back("access_denied", "the user denied the request");
  std::string granted;
  for (const auto &s : asked)
    if (std::find(unchecked_scopes_.begin(), unchecked_scopes_.end(), s) == unchecked_scopes_.end())
      granted += (granted.empty() ? "" : ",") + s;
  // Real codes carry characters that must be percent-encoded ('*', '!').
  Code code{random_text(48) + "*0!" + std::to_string(codes_.size() + 4100),
            accounts_.front().open_id, redirect, get("code_challenge"), granted};
  codes_.push_back(code);
  return Reply::text("", 302).with_header(
      "Location", redirect + "?code=" + percent_encode(code.code) + "&scopes=" +
                      percent_encode(granted) + "&state=" + percent_encode(get("state")));
}

Reply FakeTikTok::token(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  if (failing_tokens_ > 0) {
    --failing_tokens_;
    ++faults_served_["token_5xx"];
    return Reply::error(failing_token_status_);
  }
  Reply reply = grant(r);
  if (lose_token_reply_ && reply.status == 200 && !reply.body.empty() &&
      reply.body.find("access_token") != std::string::npos) {
    lose_token_reply_ = false;
    ++faults_served_["token_reply_lost"];
    return Reply::hang_up();
  }
  return reply;
}

Reply FakeTikTok::grant(const ReceivedRequest &r) {
  if (r.header("Content-Type").value_or("").rfind("application/x-www-form-urlencoded", 0) != 0)
    return oauth_refusal(400, "invalid_request",
                         "the body must be application/x-www-form-urlencoded");
  std::map<std::string, std::string> form;
  for (auto &[k, v] : parse_form(r.body))
    if (!form.emplace(k, v).second)
      return oauth_refusal(400, "invalid_request", "repeated parameter " + k);
  auto get = [&](const char *k) { return form.count(k) ? form.at(k) : std::string(); };
  if (form.count("client_id"))
    return oauth_refusal(400, "invalid_request", "TikTok takes client_key, not client_id");
  if (get("client_key") != client_.key || get("client_secret") != client_.secret)
    return oauth_refusal(401, "invalid_client", "client_key or client_secret does not match");
  const std::string type = get("grant_type");
  if (type == "authorization_code")
    return exchange(get("code"), get("redirect_uri"), get("code_verifier"));
  if (type == "refresh_token") return refresh(get("refresh_token"));
  if (type.empty()) return oauth_refusal(400, "invalid_request", "grant_type is missing");
  return oauth_refusal(400, "unsupported_grant_type", "grant_type " + type);
}

Reply FakeTikTok::token_answer(size_t g) {
  const std::string access = issue_access(g);
  const Grant &grant = grants_[g];
  return Reply::json(json::value(json::object{
      {"access_token", access},
      {"expires_in", access_lifetime_.count()},
      {"open_id", grant.open_id},
      {"refresh_expires_in", 31536000},
      {"refresh_token", grant.refresh_token},
      {"scope", grant.scope},
      {"token_type", "Bearer"},
  }));
}

Reply FakeTikTok::exchange(const std::string &code, const std::string &redirect_uri,
                           const std::string &verifier) {
  if (code.empty()) return oauth_refusal(400, "invalid_request", "code is missing");
  auto it =
      std::find_if(codes_.begin(), codes_.end(), [&](const Code &c) { return c.code == code; });
  if (it == codes_.end())
    return oauth_refusal(400, "invalid_grant", "unknown authorization code (sent URL-decoded?)");
  if (it->redeemed) return oauth_refusal(400, "invalid_grant", "authorization code already used");
  it->redeemed = true;
  if (redirect_uri != it->redirect_uri)
    return oauth_refusal(400, "invalid_grant", "redirect_uri differs from the authorize request");
  if (verifier.empty())
    return oauth_refusal(400, "invalid_request", "code_verifier is required for desktop apps");
  if (!valid_verifier(verifier))
    return oauth_refusal(400, "invalid_request",
                         "code_verifier must be 43-128 characters of [A-Za-z0-9-._~]");
  if (sha256_hex(verifier) != it->challenge)  // TikTok's desktop challenge
    return oauth_refusal(400, "invalid_grant",
                         "code_verifier does not match the code_challenge (TikTok desktop wants "
                         "the SHA-256 as hex)");
  grants_.push_back(
      {it->open_id, it->scope, refresh_token_text(), Clock::now() + std::chrono::hours(24 * 365)});
  return token_answer(grants_.size() - 1);
}

Reply FakeTikTok::refresh(const std::string &refresh_token) {
  if (refresh_token.empty())
    return oauth_refusal(400, "invalid_request", "refresh_token is missing");
  auto it = std::find_if(grants_.begin(), grants_.end(),
                         [&](const Grant &g) { return g.refresh_token == refresh_token; });
  if (it == grants_.end() || it->revoked)
    return oauth_refusal(400, "invalid_grant", "refresh_token is invalid or was replaced");
  if (it->refresh_expiry <= Clock::now())
    return oauth_refusal(400, "invalid_grant", "refresh_token has expired");
  if (replace_refresh_) it->refresh_token = refresh_token_text();
  ++refreshes_;
  return token_answer(static_cast<size_t>(it - grants_.begin()));
}

Reply FakeTikTok::revoke(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  if (r.header("Content-Type").value_or("").rfind("application/x-www-form-urlencoded", 0) != 0)
    return oauth_refusal(400, "invalid_request",
                         "the body must be application/x-www-form-urlencoded");
  std::map<std::string, std::string> form;
  for (auto &[k, v] : parse_form(r.body)) form.emplace(k, v);
  auto get = [&](const char *k) { return form.count(k) ? form.at(k) : std::string(); };
  if (get("client_key") != client_.key || get("client_secret") != client_.secret)
    return oauth_refusal(401, "invalid_client", "client_key or client_secret does not match");
  const std::string token = get("token");
  if (token.empty()) return oauth_refusal(400, "invalid_request", "token is missing");
  std::optional<size_t> grant;
  if (auto a = access_.find(token); a != access_.end()) grant = a->second.grant;
  for (size_t i = 0; i < grants_.size(); ++i)
    if (grants_[i].refresh_token == token) grant = i;
  if (grant) {  // the whole grant goes: its refresh token and every access token from it
    grants_[*grant].revoked = true;
    for (auto &[t, a] : access_)
      if (a.grant == *grant) a.expiry = Clock::now();
  }
  return Reply::text("", 200, "application/json");
}

void FakeTikTok::deny_consent(bool deny) {
  std::lock_guard lock(mutex_);
  deny_ = deny;
}

void FakeTikTok::user_unchecks_scope(std::string scope) {
  std::lock_guard lock(mutex_);
  unchecked_scopes_.push_back(std::move(scope));
}

void FakeTikTok::access_token_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock(mutex_);
  access_lifetime_ = lifetime;
}

void FakeTikTok::expire_access_tokens() {
  std::lock_guard lock(mutex_);
  for (auto &[token, a] : access_) a.expiry = Clock::now();
}

void FakeTikTok::expire_refresh_tokens() {
  std::lock_guard lock(mutex_);
  for (auto &g : grants_) g.refresh_expiry = Clock::now();
}

void FakeTikTok::replace_refresh_tokens(bool replace) {
  std::lock_guard lock(mutex_);
  replace_refresh_ = replace;
}

void FakeTikTok::oauth_errors_with_status_200(bool on) {
  std::lock_guard lock(mutex_);
  oauth_200_ = on;
}

void FakeTikTok::fail_token_requests(int count, unsigned status) {
  std::lock_guard lock(mutex_);
  failing_tokens_ = count;
  failing_token_status_ = status;
}

void FakeTikTok::lose_next_token_reply() {
  std::lock_guard lock(mutex_);
  lose_token_reply_ = true;
}

int FakeTikTok::refreshes() const {
  std::lock_guard lock(mutex_);
  return refreshes_;
}

std::vector<std::string> FakeTikTok::challenges() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto &c : codes_) out.push_back(c.challenge);
  return out;
}

}  // namespace automuse::testing
