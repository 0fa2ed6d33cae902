// host/web/url_signer.hpp — short-lived signed URLs for what a browser fetches without
// headers (a <video>'s source, an EventSource): "?exp=UNIX&sig=…", the signature an
// HMAC-SHA256 over the path and the expiry with the signing key (web/credentials.hpp). A
// signature is good for that one path until it expires; the query never reaches a log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace automuse::web {

class UrlSigner {
 public:
  explicit UrlSigner(std::string key) : key_(std::move(key)) {}

  // "exp=…&sig=…" for `path` (as sent: encoded), good for `seconds` from `now` (Unix seconds).
  std::string query(std::string_view path, int64_t now, int64_t seconds) const;
  // True when `sig` signs `path` until `exp` and `exp` is not past `now`.
  bool verify(std::string_view path, std::string_view exp, std::string_view sig, int64_t now) const;

 private:
  std::string signature(std::string_view path, int64_t expires) const;
  std::string key_;
};

}  // namespace automuse::web
