// SHA-256 (OpenSSL's EVP) of bytes and of files, as lower-case hex: the cache's blob names.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace automuse::cache {

// Incremental hashing, for data that is written while it is hashed.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256 &) = delete;
  Sha256 &operator=(const Sha256 &) = delete;
  void update(std::string_view bytes);
  std::string hex();  // finishes the hash

 private:
  void *ctx_;  // EVP_MD_CTX*
};

std::string sha256_hex(std::string_view bytes);
// nullopt when the file cannot be read.
std::optional<std::string> sha256_file(const std::filesystem::path &file);

}  // namespace automuse::cache
