// host/config/limits.hpp — the size caps of automuse.json's limits section, read into bytes and
// pixels: everything that comes from outside (response bodies, downloads by kind, decoded
// media, LLM answers) and every upload is bounded by one of them, and the error that enforces
// one names its setting.
#pragma once

#include <cstdint>

namespace automuse::config {

class Config;

struct Limits {
  uint64_t response_body_bytes = 32ull << 20;     // limits.response_body_mb
  uint64_t image_download_bytes = 64ull << 20;    // limits.downloads_mb.image
  uint64_t video_download_bytes = 1024ull << 20;  // limits.downloads_mb.video
  uint64_t audio_download_bytes = 256ull << 20;   // limits.downloads_mb.audio
  uint64_t media_pixels = 100'000'000;            // limits.media_megapixels
  uint64_t llm_answer_bytes = 8192ull << 10;      // limits.llm_answer_kb
  uint64_t upload_bytes = 16384ull << 20;         // limits.upload_mb
};

// The limits `config` sets, defaults for the rest. Values `Config::check` refuses (not a
// number, not above 0) keep their default; huge ones are clamped, never overflow.
Limits read_limits(const Config &config);

}  // namespace automuse::config
