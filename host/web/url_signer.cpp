// host/web/url_signer.cpp — HMAC-SHA256 signatures of paths with an expiry.
#include "web/url_signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

#include "http/base64.hpp"
#include "web/credentials.hpp"

namespace automuse::web {

std::string UrlSigner::signature(std::string_view path, int64_t expires) const {
  const std::string message = std::string(path) + "\n" + std::to_string(expires);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char *>(message.data()), message.size(), mac, &len);
  return http::base64url_encode(std::string_view(reinterpret_cast<const char *>(mac), len));
}

std::string UrlSigner::query(std::string_view path, int64_t now, int64_t seconds) const {
  const int64_t expires = now + seconds;
  return "exp=" + std::to_string(expires) + "&sig=" + signature(path, expires);
}

bool UrlSigner::verify(std::string_view path, std::string_view exp, std::string_view sig,
                       int64_t now) const {
  int64_t expires = 0;
  auto [end, ec] = std::from_chars(exp.data(), exp.data() + exp.size(), expires);
  if (ec != std::errc() || end != exp.data() + exp.size() || expires < now) return false;
  return same_secret(signature(path, expires), sig);
}

}  // namespace automuse::web
