// host/oauth/pkce.hpp — the random values of one authorisation (RFC 7636): the code verifier,
// its S256 challenge (base64url, or hex for TikTok) and the state, all from OpenSSL's CSPRNG,
// base64url without padding.
#pragma once

#include <string>
#include <string_view>

namespace automuse::oauth {

// `bytes` random bytes from OpenSSL's CSPRNG, base64url-encoded. Throws std::runtime_error
// if the generator fails.
std::string random_urlsafe(size_t bytes);

// A fresh code verifier: 64 characters of [A-Za-z0-9-_] (48 random bytes), inside RFC 7636's
// 43..128 range.
std::string make_code_verifier();

// BASE64URL(SHA256(ASCII(verifier))): the S256 code challenge.
std::string s256_challenge(std::string_view verifier);

// Lower-case hex of SHA256(ASCII(verifier)), 64 characters: TikTok's form of the S256 challenge.
std::string s256_hex_challenge(std::string_view verifier);

// Equality in time independent of where the strings differ (for the state).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace automuse::oauth
