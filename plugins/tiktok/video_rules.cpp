// plugins/tiktok/video_rules.cpp — TikTok's video rules over an MP4's facts.
#include "video_rules.hpp"

#include <automuse/cpp/error.hpp>
#include <cmath>
#include <cstdio>

#include "chunk_plan.hpp"

namespace tiktok {
namespace {

constexpr unsigned kMinSide = 360, kMaxSide = 4096;
constexpr double kMinFps = 23, kMaxFps = 60;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

bool known_codec(const std::string &c) {
  return c == "avc1" || c == "avc3" || c == "hvc1" || c == "hev1" || c == "vp08" || c == "vp09";
}

}  // namespace

std::string video_rule_problem(const plugin_support::Mp4Facts &f, int max_duration_secs) {
  if (f.file_size > kMaxVideo)
    return "size: " + std::to_string(f.file_size) + " bytes, over TikTok's 4 GB";
  if (!f.moov_before_mdat)
    return "moov at the front: the file's index (moov) comes after its media data (mdat); "
           "re-mux it with `ffmpeg -i IN -c copy -movflags +faststart OUT`";
  const plugin_support::Mp4Track *v = f.track("vide");
  if (!v) return "video track: the file has none";
  if (!known_codec(v->codec))
    return "codec: '" + v->codec + "' is not one TikTok takes (H.264, H.265, VP8 or VP9)";
  if (v->width < kMinSide || v->height < kMinSide || v->width > kMaxSide || v->height > kMaxSide)
    return "resolution: " + std::to_string(v->width) + "x" + std::to_string(v->height) +
           "; each side must be 360 to 4096 pixels";
  if (v->frame_rate > 0 && (v->frame_rate < kMinFps - 0.5 || v->frame_rate > kMaxFps + 0.5))
    return "frame rate: " + number(v->frame_rate) + " fps; TikTok takes 23 to 60";
  if (f.duration_seconds <= 0) return "duration: the file does not say how long it is";
  if (max_duration_secs > 0 && f.duration_seconds > max_duration_secs)
    return "duration: " + number(f.duration_seconds) + " s, over the " +
           std::to_string(max_duration_secs) + " s this creator may post";
  return {};
}

plugin_support::Mp4Facts check_video(const std::string &path, int max_duration_secs) {
  plugin_support::Mp4Facts facts = plugin_support::probe_mp4(path);
  const std::string problem = video_rule_problem(facts, max_duration_secs);
  if (!problem.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "the video " + path + " breaks TikTok's rules: " + problem);
  return facts;
}

}  // namespace tiktok
