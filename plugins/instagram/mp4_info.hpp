// plugins/instagram/mp4_info.hpp — what a video file is, read from its ISO base media (MP4/MOV)
// boxes without decoding anything: the brand, where `moov` stands against `mdat`, edit lists,
// the duration, and per track the codec, frame size, frame rate, chroma format, sample rate and
// channels. Enough to check a platform's upload rules before sending a byte (video_rules.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace instagram {

struct Mp4Info {
  uint64_t file_size = 0;
  std::string brand;  // ftyp's major brand ("isom", "qt  "), "" when there is no ftyp
  bool has_moov = false, has_mdat = false;
  bool moov_before_mdat = false;  // "fast start": the index comes before the media
  bool has_edit_list = false;     // an elst box in any track
  double duration_s = 0;          // the movie's (mvhd)

  struct Video {
    std::string codec;  // sample entry type: avc1, avc3, hvc1, hev1, ...
    int width = 0, height = 0;
    double fps = 0;
    int chroma_format = -1;  // 0 mono, 1 4:2:0, 2 4:2:2, 3 4:4:4; -1 unknown
  };
  struct Audio {
    std::string codec;  // mp4a, ac-3, Opus, ...
    int sample_rate = 0;
    int channels = 0;
  };
  std::optional<Video> video;  // the first video track
  std::optional<Audio> audio;  // the first sound track
};

// Reads `path`. Throws std::runtime_error naming the file when it cannot be read or its boxes
// do not hold together (a truncated or foreign file).
Mp4Info read_mp4_info(const std::string &path);

}  // namespace instagram
