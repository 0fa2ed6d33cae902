// plugins/youtube/upload_outcome.hpp — how an upload to YouTube ended (published, failed or
// uncertain, as every publication ends), with the video's id and URL when published. The
// session URI rides along so a caller can keep it and resume in the same session.
#pragma once

#include <cstdint>
#include <string>

#include "publish_outcome.hpp"

namespace youtube {

struct UploadOutcome : plugin_support::PublishOutcome {
  std::string video_id;  // published
  std::string url;       // published

  // The last upload session (a capability: never logged), "" when none was started, and the
  // bytes the server confirmed holding in it.
  std::string session_uri;
  uint64_t confirmed_bytes = 0;
  int sessions = 0;  // sessions started (more than 1 after an expired session)
  int resumes = 0;   // status queries made
};

}  // namespace youtube
