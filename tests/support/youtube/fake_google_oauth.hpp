// tests/support/youtube/fake_google_oauth.hpp — a loopback fake of Google's OAuth 2.0 token
// endpoint (docs/protocols/google-oauth.md, "Refreshing a token"): POST /token with a form body
// (client_id, client_secret, grant_type=refresh_token, refresh_token) answers
// {access_token, expires_in, scope, token_type}; a revoked or unknown refresh token gets
// 400 {"error":"invalid_grant"}, a wrong client 401 {"error":"invalid_client"}. It issues the
// access tokens the fake upload server accepts, so both can be expired from a test.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeGoogleOAuth {
 public:
  static constexpr const char *kScope = "https://www.googleapis.com/auth/youtube.upload";

  FakeGoogleOAuth(std::string client_id, std::string client_secret);

  // The URL a client's token_url is set to: "http://127.0.0.1:PORT/token".
  std::string token_url() const { return server_.url("/token"); }
  FakeServer &server() { return server_; }

  // A refresh token the endpoint accepts (as if the user had authorised the app).
  void add_refresh_token(const std::string &refresh_token);
  // Revoke every refresh token: the next refresh gets invalid_grant.
  void revoke_refresh_tokens();
  // Lifetime of the access tokens issued from now on (Google's is 3599 s).
  void set_expires_in(int seconds);
  // Expire every access token issued so far (the upload server then answers 401).
  void expire_access_tokens();

  // Whether `bearer` is an access token this endpoint issued and that is still valid.
  bool access_token_valid(const std::string &bearer) const;
  // Whether it issued `bearer` at all (valid or not).
  bool issued(const std::string &bearer) const;

  // Successful refreshes so far, and every token request received.
  int refreshes() const;
  size_t token_requests() const { return server_.requests("/token").size(); }

 private:
  Reply handle(const ReceivedRequest &request);

  const std::string client_id_, client_secret_;
  mutable std::mutex mutex_;
  std::set<std::string> refresh_tokens_;
  std::map<std::string, std::chrono::steady_clock::time_point> access_tokens_;  // -> expiry
  int expires_in_ = 3599;
  int refreshes_ = 0;
  int next_token_ = 1;
  FakeServer server_;  // last: stops before the state above goes
};

}  // namespace automuse::testing
