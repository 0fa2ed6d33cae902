// tests/support/instagram/loopback_fetch.hpp — the fake Instagram's own download of a
// `video_url` (or rupload `file_url`): a plain HTTP GET, to loopback addresses only, so that a
// test can never make it reach the internet.
#pragma once

#include <optional>
#include <string>

namespace automuse::testing::instagram {

struct Fetched {
  std::optional<std::string> bytes;  // set when the server answered 200 with a whole body
  bool timed_out = false;
  std::string why;  // when not fetched
};

// GETs an http:// URL on 127.0.0.0/8 or localhost, following no redirects.
Fetched fetch_loopback(const std::string &url);

}  // namespace automuse::testing::instagram
