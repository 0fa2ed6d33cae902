// host/oauth/pkce.cpp — PKCE verifier, S256 challenge and state with OpenSSL.
#include "oauth/pkce.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

#include "http/base64.hpp"

namespace automuse::oauth {

std::string random_urlsafe(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    throw std::runtime_error("the system's random generator failed (OpenSSL RAND_bytes)");
  std::string out = http::base64url_encode(
      std::string_view(reinterpret_cast<const char *>(raw.data()), raw.size()));
  OPENSSL_cleanse(raw.data(), raw.size());
  return out;
}

std::string make_code_verifier() {
  return random_urlsafe(48);
}

std::string s256_challenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(verifier.data()), verifier.size(), digest);
  return http::base64url_encode(
      std::string_view(reinterpret_cast<const char *>(digest), sizeof digest));
}

std::string s256_hex_challenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(verifier.data()), verifier.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof digest);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace automuse::oauth
