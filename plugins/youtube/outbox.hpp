// plugins/youtube/outbox.hpp — the outbox: one folder per job with video.mp4, thumbnail.jpg,
// subtitles.ass and metadata.json. The folder is assembled under a temporary name and renamed
// into place, so a reader never sees a half-written job.
#pragma once

#include <string>

namespace youtube {

struct OutboxFiles {
  std::string video;      // rendered MP4 (moved in)
  std::string thumbnail;  // JPEG (moved in)
  std::string subtitles;  // ASS (moved in)
  std::string metadata_json;
};

// Writes <base>/<name>/ and returns its absolute path; a name already taken gets "-2", "-3"...
// Throws am::error(AM_IO) naming the path. Blocking: run it on a worker.
std::string write_outbox(const std::string &base, const std::string &name,
                         const OutboxFiles &files);

// "20261128-183400-why-octopuses-have-three-hearts": UTC time and a slug of the title.
std::string job_folder_name(const std::string &title, long long unix_seconds);

}  // namespace youtube
