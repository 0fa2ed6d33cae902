// plugins/tiktok/video_rules.hpp — TikTok's rules for a posted video (docs/tiktok.md, "Video
// rules"), checked on the file's MP4 boxes before anything is sent: container MP4/MOV, video
// H.264/H.265/VP8/VP9, 23-60 frames per second, each side 360-4096 pixels, at most 4 GB, at most
// the creator's maximum duration, and the index (moov) before the media data so TikTok can read
// it as it arrives.
#pragma once

#include <string>

#include "mp4_probe.hpp"

namespace tiktok {

// The first rule `facts` breaks, as a sentence naming the rule and the value; "" when it keeps
// them all. `max_duration_secs` is the creator's (0: not known yet, not checked).
std::string video_rule_problem(const plugin_support::Mp4Facts &facts, int max_duration_secs);

// Reads `path` and checks it; throws am::error(AM_INVALID_ARGUMENT) "the video FILE breaks
// TikTok's rules: ..." naming the rule.
plugin_support::Mp4Facts check_video(const std::string &path, int max_duration_secs);

}  // namespace tiktok
