// Retry rules: see retry_rules.hpp.
#include "http/retry_rules.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "core/text.hpp"

namespace automuse::http {
namespace {

using core::trim;

// A non-negative decimal number, possibly with a fraction ("1.5"); nullopt otherwise.
std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value) || value < 0)
    return std::nullopt;
  return value;
}

// A wait in [0, kLongestWait]: servers send any number ("Retry-After: 1e300"), and a double
// beyond the integer's range must not be cast (undefined behaviour). Longer than any
// max_server_wait, the ceiling still reads as "too long to wait".
constexpr Millis kLongestWait = std::chrono::duration_cast<Millis>(std::chrono::hours(24 * 365));

Millis clamp_non_negative(double ms) {
  if (!(ms > 0)) return Millis(0);  // also NaN
  if (ms >= static_cast<double>(kLongestWait.count())) return kLongestWait;
  return Millis(static_cast<Millis::rep>(std::ceil(ms)));
}

}  // namespace

bool is_retryable_status(long http_status) {
  switch (http_status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

std::optional<Millis> server_requested_wait(const Headers &headers,
                                            std::chrono::system_clock::time_point now) {
  if (auto ms = find_header(headers, "retry-after-ms")) {
    if (auto v = parse_number(*ms)) return clamp_non_negative(*v);
  }
  if (auto ra = find_header(headers, "retry-after")) {
    if (auto v = parse_number(*ra)) return clamp_non_negative(*v * 1000.0);
    // Not a number: an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"); libcurl parses those.
    std::string date(trim(*ra));
    time_t when = curl_getdate(date.c_str(), nullptr);
    if (when != -1) {
      // In seconds as doubles: from_time_t overflows for dates past 2262 (year 9999 is valid).
      const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
      return clamp_non_negative((static_cast<double>(when) - now_s) * 1000.0);
    }
  }
  if (auto reset = find_header(headers, "x-rate-limit-reset")) {
    if (auto v = parse_number(*reset)) {
      double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
      return clamp_non_negative((*v - now_s) * 1000.0);
    }
  }
  return std::nullopt;
}

Millis backoff_delay(const RetryPolicy &policy, int failed_attempts, std::mt19937_64 &rng) {
  double nominal = static_cast<double>(policy.base_delay.count()) *
                   std::pow(2.0, std::max(0, failed_attempts - 1));
  nominal = std::min(nominal, static_cast<double>(policy.max_delay.count()));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return clamp_non_negative(nominal * jitter(rng));
}

}  // namespace automuse::http
