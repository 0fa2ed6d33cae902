// host/web/static_files.cpp — serving the embedded page with its security and caching headers.
#include "web/static_files.hpp"

#include <openssl/sha.h>

#include <map>

namespace automuse::web {

namespace {

// A strong ETag per file: the first 16 bytes of its SHA-256 in hex, computed once.
const std::string &etag_of(const StaticFile &f) {
  static const std::map<std::string, std::string> kTags = [] {
    std::map<std::string, std::string> tags;
    for (const StaticFile &s : static_files()) {
      unsigned char digest[SHA256_DIGEST_LENGTH];
      SHA256(reinterpret_cast<const unsigned char *>(s.body.data()), s.body.size(), digest);
      static constexpr char kHex[] = "0123456789abcdef";
      std::string tag = "\"";
      for (int i = 0; i < 16; ++i) {
        tag += kHex[digest[i] >> 4];
        tag += kHex[digest[i] & 15];
      }
      tags[s.path] = tag + "\"";
    }
    return tags;
  }();
  return kTags.at(f.path);
}

const StaticFile *find_file(std::string_view path) {
  if (path == "/" || path == "/login") path = "/index.html";
  for (const StaticFile &f : static_files())
    if (f.path == path) return &f;
  return nullptr;
}

}  // namespace

std::string_view page_security_policy() {
  return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
         "media-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
         "form-action 'none'; frame-ancestors 'none'";
}

std::optional<Response> static_reply(const Request &request, std::string_view path) {
  if (request.method() != http::verb::get) return std::nullopt;
  const StaticFile *f = find_file(path);
  if (!f) return std::nullopt;
  const std::string &tag = etag_of(*f);
  auto match = request.find(http::field::if_none_match);
  const bool unchanged = match != request.end() && match->value() == tag;
  Response r{unchanged ? http::status::not_modified : http::status::ok, 11};
  r.set(http::field::content_type, f->content_type);
  r.set(http::field::etag, tag);
  // Revalidated on every load (the binary may have been upgraded), answered 304 when unchanged.
  r.set(http::field::cache_control, "no-cache");
  r.set("Content-Security-Policy", page_security_policy());
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  r.set("X-Frame-Options", "DENY");
  if (!unchanged) r.body() = std::string(f->body);
  r.prepare_payload();
  return r;
}

}  // namespace automuse::web
