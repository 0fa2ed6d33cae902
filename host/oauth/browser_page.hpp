// host/oauth/browser_page.hpp — the small HTML pages the loopback listener answers the
// browser with: done, refused, wrong request. No scripts, no external resources.
#pragma once

#include <string>

namespace automuse::oauth {

// A complete page with `title` and one paragraph `text` (both HTML-escaped here).
std::string browser_page(const std::string &title, const std::string &text);

}  // namespace automuse::oauth
