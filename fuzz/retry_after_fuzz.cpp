// fuzz/retry_after_fuzz.cpp — the numbers in HTTP headers: how long a server asked us to wait
// (host/http/retry_rules: Retry-After as seconds or an HTTP date, retry-after-ms,
// x-rate-limit-reset), a Content-Length, and an upload's declared size
// (X-Upload-Content-Length, Content-Range's total; host/http/body_limits). The input is header
// lines, "Name: value". Invariants: a wait is never negative; a Content-Length is read only
// from digits (and the whitespace around a header value).
#include <chrono>
#include <string_view>

#include "core/text.hpp"
#include "fuzz_check.hpp"
#include "http/body_limits.hpp"
#include "http/retry_rules.hpp"

using namespace automuse::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  Headers headers;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  // A fixed "now" (2026-01-01T00:00:00Z) so that a run is reproducible.
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
  if (const auto wait = server_requested_wait(headers, now))
    FUZZ_CHECK(wait->count() >= 0, "a wait is never negative");
  for (const auto &[name, value] : headers) {
    if (!parse_content_length(value)) continue;
    const std::string_view digits = automuse::core::trim(value);  // header whitespace aside
    FUZZ_CHECK(!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos,
               "a Content-Length is read only from digits");
  }
  (void)declared_upload_size(headers);
  return 0;
}
