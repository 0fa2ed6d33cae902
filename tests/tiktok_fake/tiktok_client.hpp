// tests/tiktok_fake/tiktok_client.hpp — the small HTTP client the fake's own tests talk through:
// one request per connection over loopback with Boost.Beast, JSON and form POSTs, and chunk
// PUTs whose bytes are generated while sending (Reply::pattern_byte of the file offset), so a
// 50 MB upload never sits in memory.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace automuse::testing::tiktok_test {

struct Answer {
  unsigned status = 0;  // 0: no answer (the connection closed)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error;  // why there was no answer

  std::optional<std::string> header(const std::string &name) const;
  boost::json::value json() const;
  // error.code of a v2 envelope, error of an OAuth answer.
  std::string code() const;
};

Answer get(const std::string &url);
Answer post_form(const std::string &url, const std::string &form);
// Content-Type: application/json; charset=UTF-8 and the Bearer token (when not empty).
Answer post_json(const std::string &url, const std::string &bearer, const std::string &body);

struct Chunk {
  Chunk(uint64_t first_byte, uint64_t last_byte, uint64_t total_bytes)
      : first(first_byte), last(last_byte), total(total_bytes) {}
  uint64_t first, last, total;  // the bytes of the generated file it carries
  std::string content_type = "video/mp4";
  std::optional<std::string> content_range;  // instead of "bytes first-last/total"
};
// PUT of a chunk of the generated file.
Answer put_chunk(const std::string &upload_url, const Chunk &chunk);

// Bytes and CRC-32 of the generated file.
std::string file_bytes(uint64_t first, uint64_t count);
uint32_t file_crc(uint64_t first, uint64_t count);

// The base64url SHA-256 of RFC 7636 that TikTok does not use (TikTok's lower-case hex one is
// support/digest.hpp's sha256_hex).
std::string base64url_sha256(const std::string &text);

}  // namespace automuse::testing::tiktok_test
