// tests/support/oauth/fake_browser.hpp — the browser of an OAuth test: plain HTTP GETs over
// loopback with Boost.Beast, following redirects like a user's browser would (from the
// authorization server's consent answer to the app's loopback redirect URI).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace automuse::testing {

struct BrowserPage {
  unsigned status = 0;      // 0: no answer (connection refused or closed)
  std::string location;     // the Location header of a redirect
  std::string retry_after;  // the Retry-After header of a 429 or 503
  std::string body;
  std::string error;  // why there was no answer
};

// One GET of an http:// URL, without following redirects.
BrowserPage browser_get(const std::string &url);

struct BrowserVisit {
  BrowserPage page;               // the last page
  std::vector<std::string> urls;  // every URL requested, in order
};

// GETs `url` and follows up to 5 redirects.
BrowserVisit browser_visit(const std::string &url);

// A form POST (application/x-www-form-urlencoded) with extra headers: lets tests talk to a
// token endpoint directly.
BrowserPage http_post_form(const std::string &url, const std::string &form,
                           const std::vector<std::pair<std::string, std::string>> &headers = {});

}  // namespace automuse::testing
