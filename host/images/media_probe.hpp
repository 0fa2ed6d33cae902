// host/images/media_probe.hpp — checks that a downloaded or generated file really is a
// usable picture or clip: it must open and decode a frame with FFmpeg's libraries and meet a
// minimum resolution. Nothing is used on the strength of its file name or a server's word.
#pragma once

#include <automuse/cpp/error.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace automuse::images {

struct MediaInfo {
  int width = 0;
  int height = 0;
  bool is_video = false;  // more than one frame (a clip), not a still picture
  double duration = 0.0;  // seconds, for clips
  std::string codec;      // "png", "mjpeg", "h264" ...
};

// The default of automuse.json's limits.media_megapixels, in pixels.
inline constexpr uint64_t kDefaultMaxPixels = 100'000'000;

// Opens the file and decodes its first video frame. Throws am::error(AM_INVALID_ARGUMENT)
// naming the file when it does not decode, is smaller than min_width x min_height, or claims
// more than max_pixels (width x height, read from its header before any frame is decoded or
// allocated).
MediaInfo probe_media(const std::filesystem::path &file, int min_width = 0, int min_height = 0,
                      uint64_t max_pixels = kDefaultMaxPixels);

// The first frame as packed RGB24 (width*height*3 bytes), for checks that look at pixels.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};
RgbImage decode_rgb(const std::filesystem::path &file, uint64_t max_pixels = kDefaultMaxPixels);

}  // namespace automuse::images
