// plugins/tiktok/chunk_plan.hpp — TikTok's FILE_UPLOAD chunk arithmetic (docs/protocols/tiktok.md,
// "Chunks"), kept inside the bounds every reading of "MB" allows: total_chunk_count is the size
// divided by chunk_size rounded down, the last chunk takes the remainder; a video smaller than a
// chunk is one chunk of its own size. And where an upload stands after a 416, from the server's
// Content-Range, whichever way its end is counted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tiktok {

inline constexpr uint64_t kMinChunk = 5ull * 1024 * 1024;  // 5 MiB: the larger "5 MB"
inline constexpr uint64_t kMaxChunk = 64'000'000;          // the smaller "64 MB"
inline constexpr uint64_t kMaxLastChunk = 128'000'000;     // the smaller "128 MB"
inline constexpr uint64_t kMaxVideo = 4'000'000'000;       // the smaller "4 GB"
inline constexpr uint64_t kDefaultChunk = 10'000'000;      // TikTok's own example
inline constexpr uint64_t kMaxChunks = 1000;

struct ChunkPlan {
  uint64_t video_size = 0;
  uint64_t chunk_size = 0;
  uint64_t count = 0;

  uint64_t first_byte(uint64_t index) const { return index * chunk_size; }
  // The last chunk takes the remainder.
  uint64_t bytes(uint64_t index) const {
    return index + 1 < count ? chunk_size : video_size - chunk_size * (count - 1);
  }
};

// The plan for `video_size` bytes in chunks of `preferred` (kMinChunk..kMaxChunk). Throws
// am::error(AM_INVALID_ARGUMENT) for an empty video, one over kMaxVideo, or a bad `preferred`.
ChunkPlan plan_chunks(uint64_t video_size, uint64_t preferred = kDefaultChunk);

// "bytes 0-N/TOTAL" or "bytes */TOTAL": how many bytes the server holds. N is read both ways
// TikTok's documentation allows (the count held, or the last byte held): the one that falls on a
// chunk boundary of `plan` (or at its end) wins. nullopt when the header says neither.
std::optional<uint64_t> held_bytes(const std::string &content_range, const ChunkPlan &plan);

}  // namespace tiktok
