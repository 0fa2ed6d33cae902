// fuzz/oauth_redirect_fuzz.cpp — the browser's redirect to the OAuth loopback listener
// (host/oauth/redirect_listener's redirect_hit): the request target, "/callback?code=..&state=..".
// Invariant: the query read from a target, written again percent-encoded (flow_request's
// percent_encode), reads back to the same names and values.
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "oauth/flow_request.hpp"
#include "oauth/redirect_listener.hpp"

using namespace automuse::oauth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view target(reinterpret_cast<const char *>(data), size);
  const RedirectHit hit = redirect_hit("GET", target);
  FUZZ_CHECK(hit.method == "GET", "the method as given");
  if (hit.path.empty()) {
    FUZZ_CHECK(hit.query.empty(), "no query without an origin-form target");
    return 0;
  }
  std::string again = "/callback";
  char sep = '?';
  for (const auto &[name, value] : hit.query) {
    again += sep + percent_encode(name) + '=' + percent_encode(value);
    sep = '&';
  }
  const RedirectHit back = redirect_hit("GET", again);
  FUZZ_CHECK(back.path == "/callback", "the written path");
  FUZZ_CHECK(back.query == hit.query, "the query survives percent-encoding");
  return 0;
}
