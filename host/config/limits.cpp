// host/config/limits.cpp — automuse.json's limits section in bytes: see limits.hpp.
#include "config/limits.hpp"

#include <cmath>

#include "config/config.hpp"

namespace automuse::config {
namespace {

// `path` times `unit`, or `fallback` when unset or not above 0. Clamped below 2^62 so that
// adding a chunk to a count never overflows.
uint64_t scaled(const Config &config, const char *path, double unit, uint64_t fallback) {
  const boost::json::value *v = config.find(path);
  if (!v || !v->is_number()) return fallback;
  const double n = v->to_number<double>() * unit;
  if (!(n > 0)) return fallback;
  constexpr double kMax = 4611686018427387904.0;  // 2^62
  return n >= kMax ? static_cast<uint64_t>(kMax) : static_cast<uint64_t>(std::ceil(n));
}

}  // namespace

Limits read_limits(const Config &config) {
  constexpr double kKB = 1024, kMB = 1024 * 1024;
  Limits d;
  Limits l;
  l.response_body_bytes = scaled(config, "limits.response_body_mb", kMB, d.response_body_bytes);
  l.image_download_bytes = scaled(config, "limits.downloads_mb.image", kMB, d.image_download_bytes);
  l.video_download_bytes = scaled(config, "limits.downloads_mb.video", kMB, d.video_download_bytes);
  l.audio_download_bytes = scaled(config, "limits.downloads_mb.audio", kMB, d.audio_download_bytes);
  l.media_pixels = scaled(config, "limits.media_megapixels", 1e6, d.media_pixels);
  l.llm_answer_bytes = scaled(config, "limits.llm_answer_kb", kKB, d.llm_answer_bytes);
  l.upload_bytes = scaled(config, "limits.upload_mb", kMB, d.upload_bytes);
  return l;
}

}  // namespace automuse::config
