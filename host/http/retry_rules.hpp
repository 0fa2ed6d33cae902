// Retry rules of the HTTP service: which outcomes are retried, how long the server asked us to
// wait (Retry-After as seconds or HTTP date, retry-after-ms, x-rate-limit-reset), and the
// exponential backoff with jitter used when the server did not say.
#pragma once

#include <chrono>
#include <optional>
#include <random>

#include "http/http_types.hpp"

namespace automuse::http {

// 408, 429, 500, 502, 503, 504: the server did not process the request or may succeed later.
bool is_retryable_status(long http_status);

// The wait the server asked for, from (in order of precedence) retry-after-ms,
// Retry-After (delta seconds or an HTTP date) and x-rate-limit-reset (epoch seconds).
// A time already past gives zero. nullopt when none of them is present or parsable.
std::optional<Millis> server_requested_wait(const Headers &headers,
                                            std::chrono::system_clock::time_point now);

// Backoff before attempt `failed_attempts + 1`: base * 2^(failed_attempts-1) capped at
// max_delay, then "equal jitter": uniformly in [half, full] so a crowd of clients spreads out
// while every client still waits at least half the nominal delay.
Millis backoff_delay(const RetryPolicy &policy, int failed_attempts, std::mt19937_64 &rng);

}  // namespace automuse::http
