// tests/support/oauth/fake_oauth.hpp — a loopback fake of an OAuth 2.0 authorization server
// for installed apps, following RFC 6749, RFC 7636 and RFC 8252 as Google and X implement
// them (docs/protocols/oauth2-loopback.md): GET /authorize checks the request (client, loopback
// redirect URI, scopes, state, S256 challenge, required extra parameters) and, acting as the user
// at the consent screen, redirects to the app with a single-use code (or error=access_denied);
// POST /token authenticates the client the registered way (secret in the form, HTTP Basic,
// or a public client), recomputes the S256 challenge from the code_verifier, checks the
// redirect URI and that the code was never redeemed, and issues tokens. It also answers
// grant_type=refresh_token for tokens it issued. Every refusal is recorded with its reason.
#pragma once

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
  struct Issued {
    std::string code, redirect_uri, challenge, scope;
    std::string verifier;  // the one that redeemed it
    std::string access_token, refresh_token;
    bool redeemed = false;
  };

  explicit FakeOAuth(Client client);
  ~FakeOAuth();

  FakeServer &server() { return server_; }
  std::string authorize_url() const { return server_.url("/authorize"); }
  std::string token_url() const { return server_.url("/token"); }

  // The fake user's answer at the consent screen (default: allow).
  void deny_consent(bool deny);
  // Tokens to issue for the next code exchange (default: fresh random ones).
  void issue_next(std::string access_token, std::string refresh_token);
  // The next token request (after client authentication) fails: 400 {"error": error}.
  void fail_next_token(std::string error, std::string description);

  std::vector<Issued> issued() const;
  std::vector<std::string> failures() const;
  // The parameters of the last authorize request.
  std::map<std::string, std::string> last_authorize() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  FakeServer server_;
};

}  // namespace automuse::testing
