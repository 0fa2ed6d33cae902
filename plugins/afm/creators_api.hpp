// plugins/afm/creators_api.hpp — the Amazon Creators API (docs/protocols/amazon-creators-api.md):
// the token request for both credential generations, the getItems request, and what each
// answer means (facts, an expired token, throttling, or an error that says what to do).
// Pure functions: the requests are sent by product_facts.cpp through the http service.
#pragma once

#include <cstdint>
#include <string>

#include "facts.hpp"

namespace afm {

struct Credentials {
  std::string client_id, client_secret;
  std::string version = "3.x";  // "3.x": JSON to Login with Amazon; "2.x": form to Cognito
};

struct TokenRequest {
  std::string body, content_type;
};
TokenRequest token_request(const Credentials &c);

// The token from a token endpoint's answer. Throws am::error: AM_UNAUTHENTICATED when
// the credentials are refused (saying which account field to check), AM_ERROR otherwise.
struct Token {
  std::string access_token;
  int64_t expires_in = 3600;
};
Token parse_token(int http_status, const std::string &body);

// The Authorization header's value for a token: "Bearer T" ("Bearer T, Version 2.x" for 2.x).
std::string authorization(const std::string &token, const std::string &version);

std::string get_items_body(const std::string &asin, const std::string &marketplace,
                           const std::string &partner_tag);

struct ItemsOutcome {
  enum class Kind { facts, token_expired, throttled, failed } kind = Kind::failed;
  Facts facts;                // Kind::facts
  int retry_after_secs = 0;   // Kind::throttled (0 when the answer did not say)
  int32_t status = 0;         // Kind::failed: an am_status
  std::string message;        // Kind::failed: what happened and what to do
  std::string partial_error;  // Kind::facts with errors[] for other items: reported
};
ItemsOutcome interpret_get_items(int http_status, const std::string &body, const std::string &asin,
                                 const std::string &partner_tag, const std::string &marketplace);

}  // namespace afm
