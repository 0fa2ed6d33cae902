// tests/support/encoding.hpp — the encodings the fakes speak, written once and independently
// of the code under test: base64 (RFC 4648 section 4, and section 5's URL-safe alphabet
// without padding), percent-encoding of RFC 3986's unreserved set, and
// application/x-www-form-urlencoded bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace automuse::testing {

std::string base64(std::string_view bytes);
std::string base64url(std::string_view bytes);  // '-' and '_', no '=' padding
// The bytes of standard base64 text; nullopt when it is not base64.
std::optional<std::string> unbase64(std::string_view text);

// Every byte but A-Z a-z 0-9 - . _ ~ as %XX with upper-case hex (RFC 3986 section 2.3).
std::string percent_encode(std::string_view text);
// %XX decoded ('+' too, as a space, when asked); text that is not valid stays as it is.
std::string percent_decode(std::string_view text, bool plus_is_space = false);
// A form body's pairs, decoded, in order ("" for a key without '=').
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);

}  // namespace automuse::testing
