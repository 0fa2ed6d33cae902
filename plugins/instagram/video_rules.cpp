// plugins/instagram/video_rules.cpp — the Reel rules, one check each.
#include "video_rules.hpp"

#include <automuse/cpp/error.hpp>
#include <cstdio>
#include <filesystem>

namespace instagram {

namespace {

std::string num(double v, int decimals = 1) {
  char out[32];
  std::snprintf(out, sizeof out, "%.*f", decimals, v);
  return out;
}

void check_container(const Mp4Facts &i, std::vector<std::string> &out) {
  if (i.major_brand.empty())
    out.push_back("container: not an MP4/MOV file (no ftyp and moov boxes)");
  else if (!i.moov_before_mdat)
    out.push_back(
        "moov at the front: the index (moov) comes after the media (mdat); render with "
        "+faststart");
  if (i.has_edit_list)
    out.push_back(
        "no edit lists: the file has an edit list (elst); render with output.edit_list: false");
}

void check_video(const Mp4Facts &i, const ReelRules &r, std::vector<std::string> &out) {
  const plugin_support::Mp4Track *video = i.track("vide");
  if (!video) {
    out.push_back("video track: the file has none");
    return;
  }
  const auto &v = *video;
  const int width = static_cast<int>(v.width), height = static_cast<int>(v.height);
  if (v.codec != "avc1" && v.codec != "avc3" && v.codec != "hvc1" && v.codec != "hev1")
    out.push_back("video codec: " + v.codec + ", Instagram takes H.264 or HEVC");
  if (width > r.max_width)
    out.push_back("width: " + std::to_string(width) + " columns, Instagram takes at most " +
                  std::to_string(r.max_width));
  if (width <= 0 || height <= 0) {
    out.push_back("frame size: unknown");
  } else {
    const double aspect = static_cast<double>(width) / height;
    if (aspect < r.min_aspect || aspect > r.max_aspect)
      out.push_back("aspect ratio: " + std::to_string(width) + "x" + std::to_string(height) +
                    ", Instagram takes 0.01:1 to 10:1");
  }
  if (v.frame_rate < r.min_fps - 0.01 || v.frame_rate > r.max_fps + 0.01)
    out.push_back("frame rate: " + num(v.frame_rate, 2) + " fps, Instagram takes " +
                  num(r.min_fps, 0) + " to " + num(r.max_fps, 0));
  if (v.chroma_format >= 0 && v.chroma_format != 1)
    out.push_back("chroma subsampling: not 4:2:0 (render with yuv420p)");
}

void check_audio(const Mp4Facts &i, const ReelRules &r, std::vector<std::string> &out) {
  const plugin_support::Mp4Track *audio = i.track("soun");
  if (!audio) return;  // a silent Reel is allowed
  const auto &a = *audio;
  if (a.codec != "mp4a") out.push_back("audio codec: " + a.codec + ", Instagram takes AAC");
  if (a.sample_rate > r.max_sample_rate)
    out.push_back("audio sample rate: " + std::to_string(a.sample_rate) +
                  " Hz, Instagram takes at most 48 kHz");
  if (a.channels < 1 || a.channels > r.max_channels)
    out.push_back("audio channels: " + std::to_string(a.channels) +
                  ", Instagram takes mono or stereo");
}

}  // namespace

std::vector<std::string> broken_rules(const Mp4Facts &i, const ReelRules &r) {
  std::vector<std::string> out;
  check_container(i, out);
  const double seconds = i.duration_seconds;
  if (seconds < r.min_seconds || seconds > r.max_seconds)
    out.push_back("duration: " + num(seconds) + " s, Instagram takes 3 s to 15 min");
  if (i.file_size > r.max_bytes)
    out.push_back("size: " + num(i.file_size / 1e6) + " MB, Instagram takes at most 300 MB");
  if (seconds > 0 && i.file_size * 8.0 / seconds > r.max_bits_per_second)
    out.push_back("bit rate: " + num(i.file_size * 8.0 / seconds / 1e6) +
                  " Mbps, Instagram takes at most 25 Mbps");
  check_video(i, r, out);
  check_audio(i, r, out);
  return out;
}

void check_reel_video(const std::string &path, const std::string &label) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw am::error(AM_NOT_FOUND, label + ": the video " + path + " does not exist");
  Mp4Facts info;
  try {
    info = plugin_support::probe_mp4(path);
  } catch (const am::error &e) {  // names the file and what is wrong with it
    throw am::error(e.status(), label + ": " + e.what());
  }
  const auto broken = broken_rules(info);
  if (broken.empty()) return;
  std::string text;
  for (const auto &b : broken) text += (text.empty() ? "" : "; ") + b;
  throw am::error(AM_INVALID_ARGUMENT, label + ": the video " + path +
                                           " breaks Instagram's Reel rules, so nothing was "
                                           "uploaded: " +
                                           text);
}

}  // namespace instagram
