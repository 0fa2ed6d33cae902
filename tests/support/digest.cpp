// tests/support/digest.cpp — SHA-256 through OpenSSL.
#include "support/digest.hpp"

#include <openssl/sha.h>

namespace automuse::testing {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(data.data()), data.size(), digest);
  static const char *kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) out += {kDigits[c >> 4], kDigits[c & 15]};
  return out;
}

}  // namespace automuse::testing
