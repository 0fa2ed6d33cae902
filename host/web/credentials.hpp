// host/web/credentials.hpp — the API's secrets, kept in the data folder: the API token (32
// random bytes, base64url; every /api call carries it as "Authorization: Bearer") and the key
// that signs short-lived URLs (web/url_signer.hpp). Made at the first start, in a folder
// made 0700, each file 0600 and written whole (write, then rename); a file that others may
// read is refused with a message saying how to fix it. Never logged.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace automuse::web {

struct Credentials {
  std::string token;
  std::string signing_key;
  bool created = false;  // made now: the token is to be shown once
};

// Reads <dir>/api-token and <dir>/signing-key, making them when missing. Throws
// std::runtime_error naming the file.
Credentials load_or_create_credentials(const std::filesystem::path &dir);

// `bytes` random bytes (OpenSSL's RAND_bytes) as base64url without padding.
std::string random_secret(size_t bytes);

// Compares two secrets in time that depends on neither's content (nor on where they differ).
bool same_secret(std::string_view a, std::string_view b);

}  // namespace automuse::web
