// plugins/twitter/post_outcome.hpp — how creating one post on X ended: published (its id, and
// whether it was found among the account's recent posts after a lost answer), failed (why, and
// whether X certainly made no post, so posting again is safe), or uncertain (X may have
// posted it but neither answered nor let itself be asked: never repeated by itself; the user
// is told where to look).
#pragma once

#include <automuse/types.h>

#include <string>

namespace twitter {

struct PostOutcome {
  enum class State { published, failed, uncertain };
  State state = State::failed;

  std::string id;          // published
  bool recovered = false;  // published: found among recent posts, not in the answer

  am_status status = AM_ERROR;        // failed, uncertain
  std::string reason;                 // failed, uncertain: what happened, naming the account
  bool platform_did_not_act = false;  // failed: X has no such post
  std::string how_to_check;           // uncertain: where the user looks before anything else

  bool published() const { return state == State::published; }
};

}  // namespace twitter
