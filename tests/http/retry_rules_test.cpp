// Unit tests of the retry rules: parsing of the server's wait headers and the backoff curve.
#include "http/retry_rules.hpp"

#include <gtest/gtest.h>

namespace automuse::http {
namespace {

using namespace std::chrono_literals;
using SysClock = std::chrono::system_clock;

TEST(RetryRules, RetryableStatuses) {
  for (long s : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(s)) << s;
  for (long s : {200, 301, 400, 401, 403, 404, 409, 422, 501})
    EXPECT_FALSE(is_retryable_status(s)) << s;
}

TEST(RetryRules, RetryAfterSeconds) {
  auto now = SysClock::now();
  EXPECT_EQ(server_requested_wait({{"Retry-After", "3"}}, now), Millis(3000));
  EXPECT_EQ(server_requested_wait({{"retry-after", " 0 "}}, now), Millis(0));
  EXPECT_EQ(server_requested_wait({{"Retry-After", "1.5"}}, now), Millis(1500));
}

TEST(RetryRules, RetryAfterHttpDate) {
  // Wed, 21 Oct 2015 07:28:00 GMT is epoch 1445412480.
  auto now = SysClock::from_time_t(1445412480 - 10);
  EXPECT_EQ(server_requested_wait({{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}, now),
            Millis(10'000));
  // A date in the past means "now".
  auto later = SysClock::from_time_t(1445412480 + 100);
  EXPECT_EQ(server_requested_wait({{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}, later),
            Millis(0));
}

TEST(RetryRules, RetryAfterMsWinsOverRetryAfter) {
  auto now = SysClock::now();
  EXPECT_EQ(server_requested_wait({{"Retry-After", "5"}, {"retry-after-ms", "250"}}, now),
            Millis(250));
}

TEST(RetryRules, RateLimitResetEpochSeconds) {
  auto now = SysClock::from_time_t(1'700'000'000);
  EXPECT_EQ(server_requested_wait({{"x-rate-limit-reset", "1700000042"}}, now), Millis(42'000));
  EXPECT_EQ(server_requested_wait({{"x-rate-limit-reset", "1600000000"}}, now), Millis(0));
}

TEST(RetryRules, GarbageOrAbsentHeadersGiveNothing) {
  auto now = SysClock::now();
  EXPECT_FALSE(server_requested_wait({}, now));
  EXPECT_FALSE(server_requested_wait({{"Retry-After", "soon"}}, now));
  EXPECT_FALSE(server_requested_wait({{"Retry-After", "-4"}}, now));
  EXPECT_FALSE(server_requested_wait({{"x-rate-limit-reset", "tomorrow"}}, now));
}

// Numbers past any sane wait are clamped before the cast to an integer (which would be undefined
// behaviour: 1e300 ms became INT64_MIN, a negative wait, an immediate retry storm). The clamp
// is still longer than any max_server_wait, so the engine declines to wait.
TEST(RetryRules, HugeNumbersAreClampedNotCast) {
  auto now = SysClock::from_time_t(1'700'000'000);
  const Millis year = std::chrono::duration_cast<Millis>(std::chrono::hours(24 * 365));
  for (const char *huge :
       {"1e300", "1e19", "99999999999999999999999999", "1.7976931348623157e308"}) {
    EXPECT_EQ(server_requested_wait({{"Retry-After", huge}}, now), year) << huge;
    EXPECT_EQ(server_requested_wait({{"retry-after-ms", huge}}, now), year) << huge;
    EXPECT_EQ(server_requested_wait({{"x-rate-limit-reset", huge}}, now), year) << huge;
  }
  EXPECT_FALSE(server_requested_wait({{"Retry-After", "inf"}}, now));
  EXPECT_FALSE(server_requested_wait({{"Retry-After", "nan"}}, now));
  EXPECT_FALSE(server_requested_wait({{"Retry-After", "1e999"}}, now));  // out of double's range
  EXPECT_FALSE(server_requested_wait({{"retry-after-ms", "-1e300"}}, now));
  EXPECT_FALSE(server_requested_wait({{"Retry-After", "12abc"}}, now));
  EXPECT_EQ(server_requested_wait({{"x-rate-limit-reset", "-5"}}, now), std::nullopt);
}

TEST(RetryRules, BackoffDoublesWithJitterAndCap) {
  RetryPolicy p;
  p.base_delay = 100ms;
  p.max_delay = 1000ms;
  std::mt19937_64 rng(42);
  for (int round = 0; round < 200; ++round) {
    for (int failed = 1; failed <= 6; ++failed) {
      double nominal = std::min(100.0 * (1 << (failed - 1)), 1000.0);
      auto d = backoff_delay(p, failed, rng).count();
      EXPECT_GE(d, nominal * 0.5 - 1) << failed;
      EXPECT_LE(d, nominal + 1) << failed;
    }
  }
}

}  // namespace
}  // namespace automuse::http
