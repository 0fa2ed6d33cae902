// What a reused output frame still holds from the last time it was drawn. Output frames are
// recycled once the encoder has copied them; when a scene shows the same kept picture again
// (a still image after its motion ends), only what was drawn over that picture — the
// subtitles — needs repairing, not the whole 3 MB frame.
#pragma once

#include <atomic>
#include <cstdint>

#include "frame_ops.h"

namespace automuse::render::detail {

struct FrameMemo {
  uint64_t picture = 0;  // the kept picture the frame is a copy of (0: none)
  Rect drawn_over;       // what was drawn on top of that picture since (empty: nothing)
};

// Ids for kept pictures: unique in the process, never 0.
inline uint64_t new_picture_id() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace automuse::render::detail
