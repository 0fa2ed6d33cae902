// plugins/tiktok/chunk_plan.cpp — the chunk plan and the position after a 416.
#include "chunk_plan.hpp"

#include <automuse/cpp/error.hpp>
#include <charconv>

namespace tiktok {

ChunkPlan plan_chunks(uint64_t video_size, uint64_t preferred) {
  if (preferred < kMinChunk || preferred > kMaxChunk)
    throw am::error(AM_INVALID_ARGUMENT,
                    "chunk size " + std::to_string(preferred) + " is outside TikTok's bounds (" +
                        std::to_string(kMinChunk) + " to " + std::to_string(kMaxChunk) + " bytes)");
  if (video_size == 0) throw am::error(AM_INVALID_ARGUMENT, "the video is empty");
  if (video_size > kMaxVideo)
    throw am::error(AM_INVALID_ARGUMENT, "the video is " + std::to_string(video_size) +
                                             " bytes; TikTok takes at most " +
                                             std::to_string(kMaxVideo));
  ChunkPlan p;
  p.video_size = video_size;
  // A video smaller than a chunk is one chunk of its own size (TikTok refuses a chunk_size
  // larger than the video).
  p.chunk_size = video_size < preferred ? video_size : preferred;
  p.count = video_size / p.chunk_size;  // rounded down: the last chunk takes the rest
  if (p.count == 1 && video_size > kMaxChunk) {
    // One chunk may not exceed 64 MB: halves (each under 64,000,000, as the video is under twice
    // the preferred size).
    p.chunk_size = video_size / 2;
    p.count = video_size / p.chunk_size;
  }
  return p;
}

namespace {

std::optional<uint64_t> number(const std::string &s, size_t from, size_t to) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data() + from, s.data() + to, v);
  if (ec != std::errc() || end != s.data() + to || from == to) return std::nullopt;
  return v;
}

bool on_boundary(uint64_t held, const ChunkPlan &plan) {
  if (held == plan.video_size) return true;
  return held % plan.chunk_size == 0 && held / plan.chunk_size < plan.count;
}

}  // namespace

std::optional<uint64_t> held_bytes(const std::string &content_range, const ChunkPlan &plan) {
  const std::string prefix = "bytes ";
  if (content_range.rfind(prefix, 0) != 0) return std::nullopt;
  const size_t slash = content_range.find('/');
  if (slash == std::string::npos) return std::nullopt;
  if (content_range.compare(prefix.size(), slash - prefix.size(), "*") == 0) return 0;
  const size_t dash = content_range.find('-', prefix.size());
  if (dash == std::string::npos || dash > slash) return std::nullopt;
  auto first = number(content_range, prefix.size(), dash);
  auto n = number(content_range, dash + 1, slash);
  if (!first || !n || *first != 0) return std::nullopt;
  if (on_boundary(*n, plan)) return *n;          // the count held, as the docs print it
  if (on_boundary(*n + 1, plan)) return *n + 1;  // the last byte held
  return std::nullopt;
}

}  // namespace tiktok
