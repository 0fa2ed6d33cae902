// plugins/twitter/post_outcome.hpp — how creating one post on X ended (published, failed or
// uncertain, as every publication ends), with what X answers: the post's id, and whether it was
// found among the account's recent posts after a lost answer.
#pragma once

#include <string>

#include "publish_outcome.hpp"

namespace twitter {

struct PostOutcome : plugin_support::PublishOutcome {
  std::string id;          // published
  bool recovered = false;  // published: found among recent posts, not in the answer
};

}  // namespace twitter
