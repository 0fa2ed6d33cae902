// Opening and decoding input media: a still image to one frame, an audio stream to float
// PCM, and probing a file's streams and duration. Errors are plain strings about the file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "av_util.h"

namespace automuse::render::detail {

constexpr int kAudioRate = 48000;
constexpr int kAudioChannels = 2;

struct MediaInfo {
  double duration = 0.0;  // seconds; 0 if unknown
  bool has_video = false;
  bool has_audio = false;
  int width = 0, height = 0;
};

// Interleaved stereo float samples at kAudioRate.
struct Pcm {
  std::vector<float> samples;
  size_t frames() const { return samples.size() / kAudioChannels; }
  double seconds() const { return static_cast<double>(frames()) / kAudioRate; }
};

// The decoder for `st`: FFmpeg's default, except for VP9 with an alpha layer (WebM's
// AlphaMode), which only libvpx's decoder returns; null if there is none.
const AVCodec *find_decoder(const AVStream *st);

// Opens `path` and finds its streams; on failure returns nullopt and sets `error`.
std::optional<MediaInfo> probe_media(const std::filesystem::path &path, std::string &error);

// Decodes the first video frame of an image (or video) file.
FramePtr decode_image(const std::filesystem::path &path, std::string &error);

// Decodes the best audio stream from `start` seconds for up to `length` seconds (<0: to the
// end), converted to stereo float at 48 kHz. Returns nullopt with `error` set on failure.
std::optional<Pcm> decode_audio(const std::filesystem::path &path, double start, double length,
                                std::string &error);

}  // namespace automuse::render::detail
