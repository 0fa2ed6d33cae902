// plugins/youtube/upload_outcome.hpp — how an upload to YouTube ended, in the three shapes a
// publication can end in: published (the video's id and URL), failed (why, and whether YouTube
// certainly made no video of it, so uploading again is safe), or uncertain (YouTube may have
// the whole video but never confirmed it: never repeated by itself; the user is told where to
// look). The session URI rides along so a caller can keep it and resume in the same session.
#pragma once

#include <automuse/types.h>

#include <cstdint>
#include <string>

namespace youtube {

struct UploadOutcome {
  enum class State { published, failed, uncertain };
  State state = State::failed;

  std::string video_id;  // published
  std::string url;       // published

  am_status status = AM_ERROR;        // failed, uncertain: the error's status
  std::string reason;                 // failed, uncertain: what happened, naming the account
  bool platform_did_not_act = false;  // failed: YouTube has no video from this upload
  std::string how_to_check;           // uncertain: where the user looks before anything else

  // The last upload session (a capability: never logged), "" when none was started, and the
  // bytes the server confirmed holding in it.
  std::string session_uri;
  uint64_t confirmed_bytes = 0;
  int sessions = 0;  // sessions started (more than 1 after an expired session)
  int resumes = 0;   // status queries made

  bool published() const { return state == State::published; }
};

}  // namespace youtube
