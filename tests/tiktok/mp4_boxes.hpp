// tests/tiktok/mp4_boxes.hpp — small MP4 files written box by box for the video-rule tests: an
// ftyp, a moov with one video track (codec, picture size, duration, frame count) and an mdat,
// in either order, padded to an exact size with a trailing free box.
#pragma once

#include <cstdint>
#include <string>

namespace tiktok_test {

struct Mp4Spec {
  std::string codec = "avc1";
  uint32_t width = 720, height = 1280;
  uint32_t timescale = 3000, duration = 30000;  // 10 s, so that 300 frames last 100 units each
  uint32_t frames = 300;                        // 30 fps
  bool moov_first = true;
  uint64_t pad_to = 0;  // non-zero: a trailing free box makes the file this many bytes
};

std::string be32(uint64_t v);
std::string box(const std::string &type, const std::string &payload);
// The whole file.
std::string mp4_file(const Mp4Spec &spec);

}  // namespace tiktok_test
