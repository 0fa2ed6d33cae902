// tests/support/tiktok/tiktok_rules.cpp — the chunk arithmetic, UTF-16 lengths and envelopes.
#include "support/tiktok/tiktok_rules.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace automuse::testing::tiktok {

namespace {
constexpr uint64_t kMiB = 1ull << 20;
}  // namespace

ChunkLimits chunk_limits(MegaByte reading) {
  switch (reading) {
    case MegaByte::decimal:
      return {5'000'000, 64'000'000, 128'000'000, 4'000'000'000};
    case MegaByte::binary:
      return {5 * kMiB, 64 * kMiB, 128 * kMiB, 4096 * kMiB};
    case MegaByte::safe:
      break;
  }
  return {5 * kMiB, 64'000'000, 128'000'000, 4'000'000'000};
}

uint64_t chunk_bytes(uint64_t video_size, uint64_t chunk_size, uint64_t count, uint64_t index) {
  return index + 1 < count ? chunk_size : video_size - chunk_size * (count - 1);
}

std::optional<std::string> chunk_plan_problem(uint64_t video_size, uint64_t chunk_size,
                                              uint64_t count, MegaByte reading) {
  const ChunkLimits l = chunk_limits(reading);
  const std::string sizes = " (video_size " + std::to_string(video_size) + ", chunk_size " +
                            std::to_string(chunk_size) + ", total_chunk_count " +
                            std::to_string(count) + ")";
  if (video_size == 0) return "video_size must be positive" + sizes;
  if (video_size > l.max_video)
    return "video_size is over " + std::to_string(l.max_video) + " bytes" + sizes;
  if (video_size < l.min_chunk) {
    if (chunk_size != video_size || count != 1)
      return "a video under " + std::to_string(l.min_chunk) +
             " bytes is one chunk of video_size bytes" + sizes;
    return std::nullopt;
  }
  if (chunk_size < l.min_chunk)
    return "chunk_size is under " + std::to_string(l.min_chunk) + " bytes" + sizes;
  if (chunk_size > l.max_chunk)
    return "chunk_size is over " + std::to_string(l.max_chunk) + " bytes" + sizes;
  if (chunk_size > video_size) return "chunk_size is larger than video_size" + sizes;
  if (count != video_size / chunk_size)
    return "total_chunk_count must be video_size / chunk_size rounded down, " +
           std::to_string(video_size / chunk_size) + sizes;
  if (count < 1 || count > static_cast<uint64_t>(l.max_chunks))
    return "total_chunk_count must be 1 to " + std::to_string(l.max_chunks) + sizes;
  if (video_size > l.max_chunk && count < 2)
    return "a video over " + std::to_string(l.max_chunk) + " bytes must be split" + sizes;
  if (chunk_bytes(video_size, chunk_size, count, count - 1) > l.max_last)
    return "the last chunk would be over " + std::to_string(l.max_last) + " bytes" + sizes;
  return std::nullopt;
}

std::optional<size_t> utf16_units(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return std::nullopt;
    units += length == 4 ? 2 : 1;
    i += length;
  }
  return units;
}

std::string log_id() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &utc);
  unsigned char random[10];
  RAND_bytes(random, sizeof random);
  std::string id = stamp;
  char hex[3];
  for (unsigned char b : random) {
    std::snprintf(hex, sizeof hex, "%02X", b);
    id += hex;
  }
  return id;
}

boost::json::object api_envelope(boost::json::object data, std::string_view code,
                                 std::string_view message) {
  return {
      {"data", std::move(data)},
      {"error", boost::json::object{{"code", code}, {"message", message}, {"log_id", log_id()}}}};
}

boost::json::object oauth_error(std::string_view error, std::string_view description) {
  return {{"error", error}, {"error_description", description}, {"log_id", log_id()}};
}

}  // namespace automuse::testing::tiktok
