// plugins/instagram/graph_errors.hpp — what the plugin does about each error the Graph API
// answers (docs/protocols/instagram.md, "Errors"): the error read out of Graph's envelope, and
// its remedy — retry the call, make a new container, wait and retry, keep polling, or stop —
// with the status a final failure carries and a plain sentence saying what it means.
#pragma once

#include <automuse/types.h>

#include <string>

namespace instagram {

// Graph's {"error":{"message","type","code","error_subcode","error_user_title",
// "error_user_msg","is_transient"}} (HTTP 400 and others).
struct GraphError {
  int code = 0;
  int subcode = 0;  // 0: none
  std::string message;
  std::string user_message;  // error_user_msg, or error_user_title, or ""
  bool transient = false;

  // "code 36000/2207004" or "code 190".
  std::string code_text() const;
};

// Parses an error body; nullopt-like: code 0 when the body is not Graph's envelope.
GraphError parse_graph_error(const std::string &body);

enum class Remedy {
  retry,          // a transient failure: the same call again after a pause
  new_container,  // this container is unusable: make a new one
  wait_then_new,  // wait 30 s to 2 min, retry once, then a new container
  keep_polling,   // the container is not ready yet
  wait_rate,      // a rate limit: wait, then retry
  quota,          // the daily publishing limit: nothing until the window rolls
  login,          // the token is invalid or expired: log in again
  stop            // nothing the plugin can do: the user fixes the cause
};

struct ErrorMeaning {
  Remedy remedy = Remedy::stop;
  am_status status = AM_ERROR;  // when it ends the publication
  std::string meaning;          // "the video format is not supported"
  std::string fix;              // what the user does, "" when nothing
};

// The remedy for a (code, subcode) pair; unknown pairs stop with AM_ERROR.
ErrorMeaning meaning_of(int code, int subcode);

// The remedy for a container whose status read ERROR with this subcode (taken out of the
// status text): the same table.
int subcode_in_status(const std::string &status_text);

// "Instagram account 'A': <meaning> (code C/S: message). <fix>" — the error a user reads.
std::string explain(const std::string &label, const GraphError &e, const std::string &during);

}  // namespace instagram
