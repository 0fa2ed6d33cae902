// plugins/youtube/auth_action.hpp — the `auth` action: `automuse-host auth youtube --account A`.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

namespace youtube {

// Authorises the account for uploads with Google's installed-app loopback flow with PKCE
// (through automuse.oauth/1) and stores its refresh token where access_token() reads it.
// Options: no-browser, port, timeout (seconds). The result names the account and scope,
// never a token.
am::task<std::string> auth_action(am::job job, am::action_request request);

}  // namespace youtube
