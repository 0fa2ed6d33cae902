// plugins/instagram/video_rules.hpp — Instagram's rules for a Reel's video file
// (docs/protocols/instagram.md, "Video rules"), checked before any container is made, so a
// Short Instagram would refuse after the upload is refused at once with the rule it breaks. The
// file is read by plugin_support's MP4 reader (mp4_probe.hpp), as TikTok's rules read it.
#pragma once

#include <string>
#include <vector>

#include "mp4_probe.hpp"

namespace instagram {

using plugin_support::Mp4Facts;

struct ReelRules {
  double min_seconds = 3, max_seconds = 15 * 60;
  uint64_t max_bytes = 300ull * 1000 * 1000;
  int max_width = 1920;
  double min_aspect = 0.01, max_aspect = 10;  // width / height
  double min_fps = 23, max_fps = 60;
  double max_bits_per_second = 25e6;
  int max_sample_rate = 48000;
  int max_channels = 2;
};

// Every rule `info` breaks, one sentence each ("duration: 2.0 s, Instagram takes 3 s to 15
// min"); empty when the file fits.
std::vector<std::string> broken_rules(const Mp4Facts &info, const ReelRules &rules = {});

// Reads `path` and checks it. Throws am::error(AM_INVALID_ARGUMENT) naming `label` (the
// account), the file and every broken rule; AM_NOT_FOUND when the file is missing.
void check_reel_video(const std::string &path, const std::string &label);

}  // namespace instagram
