// tests/support/digest.hpp — SHA-256 as the tests and the fakes compare it, computed with OpenSSL
// independently of the code under test: a file's bytes as the fakes record them
// (FakeInstagram's `sha256`), and TikTok's PKCE challenge (lower-case hex of the verifier's hash).
#pragma once

#include <string>
#include <string_view>

namespace automuse::testing {

// SHA-256 of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace automuse::testing
