// plugins/plugin_support/mp4_probe.hpp — what a platform's video rules need to know about an MP4
// (or MOV) file, read from its boxes (ISO/IEC 14496-12) without decoding anything: the order of
// the top-level boxes (is `moov` before `mdat`, "fast start"?), edit lists, the duration, and
// per track its handler, codec (the sample entry's four-character code), picture size, frame
// rate and chroma format (video), and sample rate and channels (audio). The one reader of the
// publishers whose platforms check uploads before accepting them (TikTok, Instagram); each
// applies its own limits to these facts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plugin_support {

struct Mp4Track {
  std::string handler;             // "vide", "soun", ...
  std::string codec;               // the sample entry: "avc1", "hvc1", "hev1", "vp09", "mp4a", ...
  uint32_t width = 0, height = 0;  // the sample entry's picture size (video)
  double duration_seconds = 0;     // from the media header
  double frame_rate = 0;           // by the most common sample duration; 0 when unknown
  int chroma_format = -1;          // video: 0 mono, 1 4:2:0, 2 4:2:2, 3 4:4:4; -1 unknown
  int sample_rate = 0;             // audio, Hz: the AAC configuration's when there is one
  int channels = 0;                // audio: likewise
};

struct Mp4Facts {
  uint64_t file_size = 0;
  std::string major_brand;             // ftyp's: "isom", "mp42", "qt  "...; "" without ftyp
  std::vector<std::string> top_level;  // the top-level boxes in file order
  bool moov_before_mdat = false;       // the index first: playable while downloading
  bool has_edit_list = false;          // an elst box in any track
  double duration_seconds = 0;         // the movie header's
  std::vector<Mp4Track> tracks;

  // The first track with this handler, if any.
  const Mp4Track *track(const std::string &handler) const;
};

// Reads `path`'s boxes. Throws am::error(AM_INVALID_ARGUMENT) "PATH: not a readable MP4 file
// (...)" when it cannot be read or is not an MP4/MOV file (no moov, a box running past the end or
// past its parent, a box shorter than its fields, ...).
Mp4Facts probe_mp4(const std::string &path);

}  // namespace plugin_support
