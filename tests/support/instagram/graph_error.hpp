// tests/support/instagram/graph_error.hpp — the Graph API's error envelope and the catalogue of
// documented Instagram publishing errors (code, subcode, message, transient or not), as the
// fake Instagram answers them (docs/protocols/instagram.md, "Errors").
#pragma once

#include <string>

#include "support/fake_server.hpp"
#include "support/instagram/fake_instagram.hpp"

namespace automuse::testing::instagram {

struct GraphErrorInfo {
  int code = 0;
  int subcode = 0;  // 0: none
  std::string message;
  bool transient = false;
  std::string user_title;  // "" = none
};

GraphErrorInfo describe(FakeInstagram::GraphError error);
// The error a container's ERROR subcode publishes as (video format when unknown).
FakeInstagram::GraphError error_for_subcode(int subcode);

// {"error":{"message","type","code","error_subcode","is_transient","error_user_title",
// "error_user_msg","fbtrace_id"}} with HTTP 400, and the usage header for rate limits.
Reply graph_error(const GraphErrorInfo &info);
Reply graph_error(FakeInstagram::GraphError error);
// An error outside the catalogue: bad parameters (100), missing token (104)...
Reply graph_error(int code, const std::string &message, int subcode = 0);

}  // namespace automuse::testing::instagram
