// tests/support/youtube/fake_google_oauth.cpp — the fake Google token endpoint.
#include "support/youtube/fake_google_oauth.hpp"

#include <boost/json.hpp>
#include <boost/url/params_view.hpp>

namespace automuse::testing {
namespace json = boost::json;

namespace {

// Google's OAuth error body: {"error": code, "error_description": text}.
Reply oauth_error(unsigned status, const char *code, const char *description) {
  return Reply::json(json::value(json::object{{"error", code}, {"error_description", description}}),
                     status);
}

}  // namespace

FakeGoogleOAuth::FakeGoogleOAuth(std::string client_id, std::string client_secret)
    : client_id_(std::move(client_id)), client_secret_(std::move(client_secret)) {
  server_.route("POST", "/token", [this](const ReceivedRequest &r) { return handle(r); });
}

void FakeGoogleOAuth::add_refresh_token(const std::string &refresh_token) {
  std::lock_guard lock(mutex_);
  refresh_tokens_.insert(refresh_token);
}

void FakeGoogleOAuth::revoke_refresh_tokens() {
  std::lock_guard lock(mutex_);
  refresh_tokens_.clear();
}

void FakeGoogleOAuth::set_expires_in(int seconds) {
  std::lock_guard lock(mutex_);
  expires_in_ = seconds;
}

void FakeGoogleOAuth::expire_access_tokens() {
  std::lock_guard lock(mutex_);
  for (auto &[token, expiry] : access_tokens_) expiry = std::chrono::steady_clock::now();
}

bool FakeGoogleOAuth::access_token_valid(const std::string &bearer) const {
  std::lock_guard lock(mutex_);
  auto it = access_tokens_.find(bearer);
  return it != access_tokens_.end() && it->second > std::chrono::steady_clock::now();
}

bool FakeGoogleOAuth::issued(const std::string &bearer) const {
  std::lock_guard lock(mutex_);
  return access_tokens_.count(bearer) > 0;
}

int FakeGoogleOAuth::refreshes() const {
  std::lock_guard lock(mutex_);
  return refreshes_;
}

Reply FakeGoogleOAuth::handle(const ReceivedRequest &r) {
  const auto type = r.header("Content-Type");
  if (!type || type->rfind("application/x-www-form-urlencoded", 0) != 0)
    return oauth_error(400, "invalid_request", "Content-Type must be a form");
  std::map<std::string, std::string> form;
  boost::urls::encoding_opts plus_is_space;
  plus_is_space.space_as_plus = true;
  for (auto p : boost::urls::params_view(r.body, plus_is_space)) {
    if (form.count(p.key)) return oauth_error(400, "invalid_request", "a parameter is given twice");
    form[std::string(p.key)] = std::string(p.value);
  }
  for (const char *required : {"client_id", "grant_type"})
    if (!form.count(required))
      return oauth_error(400, "invalid_request",
                         (std::string("Missing required parameter: ") + required).c_str());
  if (form["client_id"] != client_id_ || form["client_secret"] != client_secret_)
    return oauth_error(401, "invalid_client", "The OAuth client was not found.");
  if (form["grant_type"] != "refresh_token")
    return oauth_error(400, "unsupported_grant_type", "Invalid grant_type.");
  if (!form.count("refresh_token"))
    return oauth_error(400, "invalid_request", "Missing required parameter: refresh_token");

  std::lock_guard lock(mutex_);
  if (!refresh_tokens_.count(form["refresh_token"]))
    return oauth_error(400, "invalid_grant", "Token has been expired or revoked.");
  const std::string access = "ya29.fake-" + std::to_string(next_token_++);
  access_tokens_[access] = std::chrono::steady_clock::now() + std::chrono::seconds(expires_in_);
  ++refreshes_;
  return Reply::json(json::value(json::object{{"access_token", access},
                                              {"expires_in", expires_in_},
                                              {"scope", kScope},
                                              {"token_type", "Bearer"}}));
}

}  // namespace automuse::testing
