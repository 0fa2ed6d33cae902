// tests/support/tiktok/tiktok_rules.hpp — TikTok's rules as pure functions, for FakeTikTok and
// its tests (docs/protocols/tiktok.md): the chunk arithmetic of an upload under each reading of
// "MB", the length of a title in UTF-16 units, and the two error envelopes (the v2 API's
// {"data","error"} and the OAuth endpoints' top-level {"error","error_description","log_id"}).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace automuse::testing::tiktok {

// What "MB" means in the chunk rules is not settled: decimal (10^6), binary (2^20), or the safe
// reading a client should follow, which takes the stricter bound of each (a minimum chunk of
// 5 MiB, a maximum of 64,000,000 bytes, a last chunk of at most 128,000,000 bytes).
enum class MegaByte { safe, decimal, binary };

struct ChunkLimits {
  uint64_t min_chunk;  // a chunk other than a lone one is at least this
  uint64_t max_chunk;  // and at most this
  uint64_t max_last;   // the last chunk, with the remainder, at most this
  uint64_t max_video;  // a video at most this
  int max_chunks = 1000;
};
ChunkLimits chunk_limits(MegaByte reading);

// The size of chunk `index` (0-based) of a plan; the last one takes the remainder.
uint64_t chunk_bytes(uint64_t video_size, uint64_t chunk_size, uint64_t count, uint64_t index);

// Why source_info's video_size / chunk_size / total_chunk_count break the rules; nullopt when
// they keep them.
std::optional<std::string> chunk_plan_problem(uint64_t video_size, uint64_t chunk_size,
                                              uint64_t total_chunk_count, MegaByte reading);

// The UTF-16 code units of UTF-8 `text` (a code point above U+FFFF counts two); nullopt when
// `text` is not valid UTF-8.
std::optional<size_t> utf16_units(std::string_view text);

// A log_id like TikTok's: a UTC timestamp followed by upper-case hex.
std::string log_id();

// {"data": data, "error": {"code", "message", "log_id"}}.
boost::json::object api_envelope(boost::json::object data, std::string_view code,
                                 std::string_view message);
// {"error", "error_description", "log_id"} at the top level.
boost::json::object oauth_error(std::string_view error, std::string_view description);

}  // namespace automuse::testing::tiktok
