// plugins/instagram/auth_action.hpp — the `auth` action: `automuse-host auth instagram --account
// A`.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

namespace instagram {

// Logs the account in with Instagram Login (business) through automuse.oauth/1: consent with
// comma-separated scopes, the code exchanged for a short-lived token (answered inside
// {"data":[...]}), then exchanged for the long-lived token (GET /access_token,
// ig_exchange_token), which is stored with its expiry where token_keeper.hpp reads it. Options:
// no-browser, port, timeout (seconds). The result never contains a token.
am::task<std::string> auth_action(am::job job, am::action_request request);

}  // namespace instagram
