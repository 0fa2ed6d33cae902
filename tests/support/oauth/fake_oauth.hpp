// tests/support/oauth/fake_oauth.hpp — a loopback fake of an OAuth 2.0 authorization server
// for installed apps, following RFC 6749, RFC 7636 and RFC 8252 as Google and X implement
// them (docs/protocols/oauth2-loopback.md): GET /authorize checks the request (client, loopback
// redirect URI, scopes, state, S256 challenge, required extra parameters) and, acting as the user
// at the consent screen, redirects to the app with a single-use code (or error=access_denied);
// POST /token authenticates the client the registered way (secret in the form, HTTP Basic,
// or a public client), recomputes the S256 challenge from the code_verifier, checks the
// redirect URI and that the code was never redeemed, and issues tokens. It also answers
// grant_type=refresh_token for tokens it issued. Every refusal is recorded with its reason.
//
// The one fake authorization server of the tests, configured per provider where they differ
// (token shapes and lifetimes, X's single-use refresh tokens, X's answer to an unknown refresh
// token): it stands alone on its own loopback server or is mounted on another fake's server
// (X serves its token endpoint on the API host). Besides codes it issues, it knows refresh
// grants a test adds (as if the user had authorised the app earlier), tells resource fakes
// whether a Bearer token is one it issued and still valid, and injects faults on the token
// endpoint: 5xx, 429 + Retry-After, a reply lost after the grant was processed, revoked
// refresh tokens, expired access tokens and a chosen error answer.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeOAuth {
 public:
  enum class ClientAuth {
    post,   // client_id and client_secret in the form (Google)
    basic,  // Authorization: Basic (X confidential clients)
    none    // a public client: client_id in the form, no secret (X public clients)
  };
  struct Client {
    std::string id;
    std::string secret;
    ClientAuth auth = ClientAuth::post;
    std::vector<std::string> required_scopes;
    std::vector<std::pair<std::string, std::string>> required_params;  // access_type=offline
    std::string redirect_path;              // the registered loopback path ("" or "/": none)
    std::optional<uint16_t> redirect_port;  // a registered port (X), else any
  };
  // How a provider shapes what its token endpoint answers.
  struct Provider {
    std::string access_prefix, refresh_prefix;  // issued tokens start with these
    std::string token_type;
    int expires_in = 0;           // seconds an access token lasts
    bool rotate_refresh = false;  // refreshing kills the refresh and access tokens it replaces
    std::string unknown_refresh_error, unknown_refresh_description;  // an unknown refresh token
    std::string default_scope;                                       // of grants added without one
  };
  static Provider google();  // "ya29." tokens for 3599 s; refresh tokens last until revoked
  static Provider x();       // 7200 s; single-use refresh tokens; invalid_request when unknown
  // An installed app registered with Google for YouTube uploads (secret in the form).
  static Client google_client(std::string id, std::string secret);

  struct Issued {
    std::string code, redirect_uri, challenge, scope;
    std::string verifier;  // the one that redeemed it
    std::string access_token, refresh_token;
    bool redeemed = false;
  };
  // A grant a test adds (as if authorised earlier): `subject` names whose tokens they are.
  struct Grant {
    std::string refresh_token;
    std::string access_token;  // "" = none yet
    std::string scope;
    std::string subject;
  };

  // On its own loopback server, with /authorize and /token.
  explicit FakeOAuth(Client client, Provider provider = google());
  // Mounted on `host` (which must outlive it): only the token endpoint, at `token_path`.
  FakeOAuth(Client client, Provider provider, FakeServer &host, std::string token_path);
  ~FakeOAuth();
  FakeOAuth(const FakeOAuth &) = delete;
  FakeOAuth &operator=(const FakeOAuth &) = delete;

  FakeServer &server() { return *server_; }
  const FakeServer &server() const { return *server_; }
  std::string authorize_url() const { return server_->url("/authorize"); }
  std::string token_url() const { return server_->url(token_path_); }

  // The client the token endpoint authenticates (replaces the one given at construction).
  void register_client(Client client);
  void add_grant(Grant grant);
  void add_refresh_token(const std::string &refresh_token) {
    add_grant({refresh_token, "", "", ""});
  }

  // The fake user's answer at the consent screen (default: allow).
  void deny_consent(bool deny);
  // Tokens to issue for the next code exchange (default: fresh random ones).
  void issue_next(std::string access_token, std::string refresh_token);
  // Lifetime of the access tokens issued from now on.
  void set_expires_in(int seconds);

  // Faults of the token endpoint, for the next requests (after client authentication for
  // fail_next_token, before anything for the others).
  void fail_next_token(std::string error, std::string description);  // 400 {"error": error}
  void fail_token_requests(int count, unsigned status = 503);        // 5xx, nothing processed
  void throttle_token_requests(int count, int retry_after_seconds);  // 429 + Retry-After
  void lose_next_token_reply();  // the grant is processed, then the connection closes unanswered
  void delay_token_replies(Ms delay);  // a slow token endpoint: every reply waits this long
  void revoke_refresh_tokens();        // every refresh token: the next refresh gets invalid_grant
  void expire_access_tokens();         // every access token issued so far

  // Whether `bearer` is an access token this server issued and that is still valid.
  bool access_token_valid(const std::string &bearer) const;
  // Whether it ever issued `bearer` (valid or not).
  bool issued_access_token(const std::string &bearer) const;
  // The subject of a valid access token ("" when invalid or unknown).
  std::string subject_of(const std::string &bearer) const;
  // The current tokens of a subject's grant.
  std::optional<Grant> grant_of(const std::string &subject) const;

  std::vector<Issued> issued() const;
  std::vector<std::string> failures() const;
  int refreshes() const;  // successful refresh_token grants
  size_t token_requests() const { return server_->requests(token_path_).size(); }
  // The parameters of the last authorize request.
  std::map<std::string, std::string> last_authorize() const;

 private:
  void mount();

  struct State;
  std::shared_ptr<State> state_;
  std::unique_ptr<FakeServer> own_server_;  // null when mounted on another fake's server
  FakeServer *server_;
  std::string token_path_;
  Route *token_route_ = nullptr;
};

}  // namespace automuse::testing
