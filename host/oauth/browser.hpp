// host/oauth/browser.hpp — opening the authorize URL in the user's browser, only where that
// makes sense: xdg-open on PATH, a display, stdout a terminal, AUTOMUSE_NO_BROWSER unset.
#pragma once

#include <automuse/oauth.h>

#include <string>

namespace automuse::oauth {

// Whether a browser may and can be opened for `mode`; `why_not` says why not.
bool can_open_browser(am_oauth_browser mode, std::string *why_not = nullptr);

// Starts `xdg-open url` detached (output discarded; the child is reaped in the background).
// True when it was started.
bool open_browser(const std::string &url);

}  // namespace automuse::oauth
