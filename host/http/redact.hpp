// Redaction of secrets from what the HTTP service logs: credential headers, bearer tokens and
// key-like query parameters are replaced by "REDACTED".
#pragma once

#include <string>
#include <string_view>

namespace automuse::http {

// True for headers that carry credentials (Authorization, Proxy-Authorization, Cookie,
// Set-Cookie, x-api-key, xi-api-key, x-goog-api-key, api-key, and any *-token / *-secret).
bool is_secret_header(std::string_view name);

// "name: value" for logging, the value redacted when the header is secret.
std::string redact_header(std::string_view name, std::string_view value);

// The URL with the values of key-like query parameters (key, api_key, apikey, access_token,
// token, secret, signature, sig, password, client_secret, X-Amz-Signature, ...) and any
// user:password@ userinfo replaced.
std::string redact_url(std::string_view url);

// Free text with "Bearer <token>" and "Basic <token>" tokens replaced.
std::string redact_text(std::string_view text);

}  // namespace automuse::http
