// host/web/credentials.cpp — making, reading and comparing the API's secrets.
#include "web/credentials.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/atomic_file.hpp"
#include "http/base64.hpp"

namespace automuse::web {
namespace fs = std::filesystem;

namespace {

std::string read_secret(const fs::path &file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw std::runtime_error(file.string() + ": cannot read it");
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    throw std::runtime_error(file.string() +
                             ": others may read it; refusing to use it (chmod 600 it, or remove it "
                             "to make a new one)");
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.size() < 32) throw std::runtime_error(file.string() + ": too short to be a secret");
  return s;
}

// The secret in `file`, made (0600) when there is none. `created` tells which.
std::string secret_file(const fs::path &file, bool &created) {
  std::error_code ec;
  if (fs::exists(file, ec)) return read_secret(file);
  std::string secret = random_secret(32);
  core::write_file_atomically(file, secret + "\n", core::kPrivateFile);
  created = true;
  return secret;
}

}  // namespace

std::string random_secret(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("the system's random generator failed");
  return http::base64url_encode(raw);
}

bool same_secret(std::string_view a, std::string_view b) {
  // Digests first: equal lengths for CRYPTO_memcmp whatever was sent.
  unsigned char da[SHA256_DIGEST_LENGTH], db[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(a.data()), a.size(), da);
  SHA256(reinterpret_cast<const unsigned char *>(b.data()), b.size(), db);
  return CRYPTO_memcmp(da, db, sizeof da) == 0;
}

Credentials load_or_create_credentials(const fs::path &dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": cannot create it: " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  Credentials c;
  bool key_created = false;
  c.token = secret_file(dir / "api-token", c.created);
  c.signing_key = secret_file(dir / "signing-key", key_created);
  return c;
}

}  // namespace automuse::web
