// plugins/plugin_support/publish_outcome.hpp — how one publication on a platform ended, in the
// three shapes every publisher plugin reports: published, failed (why, and whether the platform
// certainly made nothing of it, so publishing again is safe), or uncertain (the platform may
// have it but neither confirmed it nor let itself be asked: never repeated by itself; the user
// is told where to look). Each plugin's outcome adds what its platform answers (a post's id, a
// video's id and URL).
#pragma once

#include <automuse/types.h>

#include <string>

namespace plugin_support {

struct PublishOutcome {
  enum class State { published, failed, uncertain };
  State state = State::failed;

  am_status status = AM_ERROR;        // failed, uncertain: the error's status
  std::string reason;                 // failed, uncertain: what happened, naming the account
  bool platform_did_not_act = false;  // failed: the platform has nothing of this attempt
  std::string how_to_check;           // uncertain: where the user looks before anything else

  bool published() const { return state == State::published; }

  // Uncertain, with AM_UNCERTAIN (so that nothing repeats it by itself): `reason` says what
  // happened, `check` where the user looks before anything else.
  void mark_uncertain(std::string reason_text, std::string check) {
    state = State::uncertain;
    status = AM_UNCERTAIN;
    reason = std::move(reason_text);
    how_to_check = std::move(check);
  }
};

}  // namespace plugin_support
