// plugins/tiktok/api_errors.hpp — what TikTok's answers mean, as one place to read them: the
// posting endpoints' {"data", "error": {"code", "message", "log_id"}} envelope (a call succeeded
// only when error.code is "ok", whatever the HTTP status), each documented error code turned
// into a status and a sentence saying what to do, and each FAILED post's fail_reason explained.
#pragma once

#include <automuse/types.h>

#include <boost/json.hpp>
#include <string>

namespace tiktok {

struct ApiAnswer {
  bool ok = false;           // error.code == "ok"
  boost::json::object data;  // the answer's data (empty when none)
  std::string code;          // error.code ("" when the body was not TikTok's envelope)
  std::string message;       // error.message
  std::string log_id;        // for TikTok's support
};

// Reads a posting endpoint's body; a body that is not the envelope gives ok = false, code "".
ApiAnswer read_answer(const std::string &body);

// An error code of the posting endpoints as the status the plugin fails with and what the user
// reads (`who`: "TikTok account 'chef'"). Unknown codes keep TikTok's message.
struct Explained {
  am_status status = AM_ERROR;
  std::string message;
};
Explained explain_error(int http_status, const ApiAnswer &answer, const std::string &who);

// A FAILED post's fail_reason: why, and whether posting the same video again can help.
struct FailReason {
  am_status status = AM_ERROR;
  std::string message;
  bool worth_retrying = false;  // internal, video_pull_failed
};
FailReason explain_fail_reason(const std::string &fail_reason, const std::string &who);

}  // namespace tiktok
