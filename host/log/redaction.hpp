// host/log/redaction.hpp — the one redactor for everything the host prints: secret values it
// was told (registered the moment they are read) and the shapes of secrets it was not told
// (form bodies, query strings, JSON keys, credential headers, bearer tokens), replaced by "***".
#pragma once

#include <string>
#include <string_view>

namespace automuse::log {

// Remember a secret value (an API key, a token, an account's password) so that it is replaced
// by "***" wherever it appears in printed text. Values shorter than 6 characters are ignored
// (they would redact ordinary words). The values of environment variables whose names say they
// hold credentials (*_API_KEY, *_TOKEN, *_SECRET, *_PASSWORD) are registered on first use.
// Any thread.
void add_secret(std::string value);

// `text` with secrets replaced: registered values, then the known shapes: `name=value` in form
// bodies, query strings and OAuth headers (refresh_token, access_token, code, code_verifier,
// client_secret, id_token, oauth_token, oauth_signature, X-Amz-Signature, X-Amz-Credential,
// key, ...); JSON string fields under credential keys in snake_case or camelCase, also inside
// an escaped JSON string; the whole value of Authorization, Cookie, Set-Cookie and API-key
// headers; Bearer/Basic tokens; sk-... keys.
std::string redact(std::string_view text);

}  // namespace automuse::log
