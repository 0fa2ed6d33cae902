// host/oauth/flow_request.hpp — one authorisation's parameters on the host side: read from
// the C request (only the bytes its struct_size covers) and checked, and the wire texts made
// from them: the authorize URL, the token request's form, and the meaning of the token
// endpoint's answer.
#pragma once

#include <automuse/oauth.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace automuse::oauth {

struct FlowRequest {
  std::string label;
  std::string authorize_url;
  std::string token_url;
  std::string client_id;
  std::string client_secret;  // empty: a public client
  am_oauth_client_auth client_auth = AM_OAUTH_CLIENT_SECRET_POST;
  am_oauth_browser browser = AM_OAUTH_BROWSER_AUTO;
  std::vector<std::string> scopes;
  std::vector<std::pair<std::string, std::string>> params;
  std::string redirect_path;  // "" or "/callback"
  uint16_t port = 0;
  std::chrono::milliseconds timeout{300000};
  am_oauth_url_fn on_url = nullptr;
  // ABI 1.7: a provider's departures from the RFCs (defaults: the RFCs').
  std::string client_id_name = "client_id";
  std::string scope_separator = " ";
  am_oauth_challenge challenge = AM_OAUTH_CHALLENGE_S256;
  am_oauth_token_method token_method = AM_OAUTH_TOKEN_POST_FORM;
  am_oauth_token_answer token_answer = AM_OAUTH_ANSWER_OBJECT;
};

// Copies and checks a C request. Returns an empty string when it is usable, else the
// problem naming the field ("authorize_url: 'ftp://x' is not an http(s) URL"). The 1.7 fields
// are read only when the request's struct_size covers them.
std::string from_c(const am_oauth_request &c, FlowRequest &out);

// The PKCE challenge the request asks for ("" with AM_OAUTH_CHALLENGE_NONE).
std::string challenge_for(const FlowRequest &r, std::string_view verifier);

// The values that tie one authorisation together.
struct FlowSecrets {
  std::string verifier;
  std::string challenge;
  std::string state;
};

// "http://127.0.0.1:PORT" + redirect_path.
std::string redirect_uri(const FlowRequest &r, uint16_t port);

// authorize_url + response_type, client_id (or its provider's name), redirect_uri, scope
// (joined by the separator), state, code_challenge and code_challenge_method=S256 (unless the
// challenge is NONE) and the extra parameters, percent-encoded (RFC 3986).
std::string authorize_url(const FlowRequest &r, const std::string &redirect, const FlowSecrets &s);

// The token request: method, URL, form body and extra headers (Basic credentials when
// asked). A GET exchange carries the form as the URL's query and has no body.
struct TokenRequest {
  std::string method = "POST";
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};
TokenRequest token_request(const FlowRequest &r, const std::string &code,
                           const std::string &redirect, const std::string &verifier);

// What the token endpoint's answer means. On success `token_json` is the answer's JSON
// object (taken out of {"data":[...]} when the request says so); otherwise status and a
// message (never the body's tokens) are set. An answer carrying an error is that error
// whatever the HTTP status: RFC 6749's {"error","error_description"}, Instagram's
// {"error_type","code","error_message"} or Graph's {"error":{"message","type","code"}}.
struct TokenOutcome {
  am_status status = AM_OK;
  std::string message;
  std::string token_json;
  std::vector<std::string> secrets;  // the tokens' values, for log redaction
};
TokenOutcome interpret_token_answer(const FlowRequest &r, int http_status, const std::string &body);

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string percent_encode(const std::string &s);

}  // namespace automuse::oauth
