// plugins/instagram/caption_rules.hpp — Instagram's limits on a caption: at most 2,200
// characters, 30 hashtags and 20 @-mentions. Checked before anything is uploaded.
#pragma once

#include <string>

namespace instagram {

// Throws am::error(AM_INVALID_ARGUMENT) naming `label` (the account) and the limit broken.
void check_caption(const std::string &caption, const std::string &label);

}  // namespace instagram
