// Opening a local media file for reading, the one way the renderer and the host do it. The
// files come from outside (downloads, user folders), so FFmpeg gets only the `file` protocol,
// only the demuxers of the kinds asked for, and bounded probing: a "video" that is really a
// playlist (HLS, ffconcat), an image sequence pattern or a reference to another file is
// refused rather than followed.
#pragma once

#include <filesystem>
#include <string>

struct AVFormatContext;

namespace automuse::render {

// What the caller means to read; combine with |.
enum MediaKinds : unsigned { kImageFile = 1, kVideoFile = 2, kAudioFile = 4 };

// avformat_open_input under those limits. Returns 0 with `*fmt` set, or a negative AVERROR
// with `why` set to a short reason (the format refused, or FFmpeg's error); the caller names
// the file. Close with avformat_close_input.
int open_media_file(AVFormatContext **fmt, const std::filesystem::path &path, unsigned kinds,
                    std::string &why);

// The demuxers `kinds` allows, comma-separated (as FFmpeg's format_whitelist).
std::string allowed_demuxers(unsigned kinds);

}  // namespace automuse::render
