// plugins/twitter/auth_action.hpp — the `auth` action: `automuse-host auth twitter --account A`.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

namespace twitter {

// Authorises the account with X's OAuth 2.0 authorization-code flow with PKCE (through
// automuse.oauth/1) and stores the token pair atomically where x_api.cpp reads it. Options:
// no-browser, port, timeout (seconds). The result never contains a token.
am::task<std::string> auth_action(am::job job, am::action_request request);

}  // namespace twitter
