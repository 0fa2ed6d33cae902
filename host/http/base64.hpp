// host/http/base64.hpp — base64 (RFC 4648) for what travels over HTTP: Basic credentials, PKCE
// values, and media that APIs return inline. The host's one copy, over OpenSSL's codec.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace automuse::http {

// Standard base64 with '=' padding.
std::string base64_encode(std::string_view bytes);

// base64url (section 5) without padding.
std::string base64url_encode(std::string_view bytes);

// The bytes of standard padded base64; line breaks and spaces are ignored. nullopt when `text`
// is empty or not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace automuse::http
