// plugins/youtube/youtube_api.hpp — publishing through the YouTube Data API v3
// (docs/protocols/youtube-upload.md):
// access tokens refreshed from the account's refresh token (and the new token stored before
// use), and the resumable upload in chunks of a multiple of 256 KiB that resumes after a
// dropped connection, a 5xx or an expired token from the byte the server reports, restarts
// when the session expired (404), gives up on a server that takes no bytes, and stops with a
// clear message on quota errors.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "upload_outcome.hpp"

namespace youtube {

struct ApiConfig {
  std::string client_id;
  std::string client_secret;
  std::string token_url = "https://oauth2.googleapis.com/token";
  std::string upload_url = "https://www.googleapis.com/upload/youtube/v3/videos";
  uint64_t chunk_bytes = 8 * 262144;  // 2 MiB; always a multiple of 256 KiB
  uint32_t retry_base_ms = 100;       // the pause after a fault in an upload; doubles, to 64x
};

// Reads plugins.youtube.{client_id, client_secret, token_url, upload_url, chunk_kib,
// upload_retry_base_ms} from the
// plugin's config section. Throws am::error(AM_INVALID_ARGUMENT) naming a bad field.
ApiConfig parse_api_config(const std::string &config_json);

struct UploadRequest {
  std::string file;
  std::string title;
  std::string description;
  std::vector<std::string> tags;
  std::string category_id = "22";
  std::string privacy = "private";
  bool made_for_kids = false;
  bool synthetic_media = true;  // the AI-content disclosure
};

struct UploadResult {
  std::string video_id;
  std::string url;
  int sessions = 0;  // upload sessions started (more than 1 after an expired session)
  int resumes = 0;   // status queries after a drop or a 5xx
};

// The snippet/status JSON sent when the session starts.
std::string upload_metadata_json(const UploadRequest &request);

// YouTube refuses titles and descriptions holding '<' or '>' (invalidTitle,
// invalidDescription): they become the look-alikes '‹' and '›'.
std::string youtube_safe_text(const std::string &text);

// A valid access token for the account: the stored one while it lasts, else refreshed with
// the stored refresh token (or the account's `refresh_token` secret the first time). Throws
// am::error(AM_UNAUTHENTICATED) telling the user to run `automuse-host auth youtube` when
// there is no token or Google says invalid_grant.
am::task<std::string> access_token(am::job job, const std::string &account, ApiConfig config,
                                   bool force_refresh);

// A session to continue instead of starting one, and who hears of a new session's URI (to keep
// it for a later resume). Both optional.
struct UploadResume {
  std::string session_uri;
  std::function<void(const std::string &session_uri)> on_session;
};

// Uploads the file in the resumable protocol and says how it ended (upload_outcome.hpp):
// - a dropped connection or a 5xx is followed by the status query (`Content-Range: bytes
//   */TOTAL`), which says where to resume; the whole video in the server's hands settles as
//   published; when every byte went out and no status query is answered, it is uncertain;
// - a 308 that takes no bytes counts toward giving up (5 in a row, with a growing pause);
// - a 401 on a chunk (the token expired mid-upload) refreshes the token once and resumes from
//   the byte the server reports; a 404 starts a new session.
// Throws only am::error(AM_CANCELLED); every other end is in the outcome.
am::task<UploadOutcome> upload_to_youtube(am::job job, const std::string &account, ApiConfig config,
                                          UploadRequest request, UploadResume resume = {});

// upload_to_youtube, for callers that want the video or an exception: throws am::error with
// the outcome's status and reason unless published (AM_QUOTA_EXCEEDED for quotaExceeded and
// uploadLimitExceeded, AM_UNAUTHENTICATED, AM_UNAVAILABLE after retries; AM_ERROR, never
// retried, when the outcome is uncertain).
am::task<UploadResult> upload_video(am::job job, const std::string &account, ApiConfig config,
                                    UploadRequest request);

// "bytes=0-N" or "0-N" -> N + 1; -1 when absent or malformed.
int64_t next_byte_from_range(const std::string &range);

}  // namespace youtube
