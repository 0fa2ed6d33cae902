// host/app/run_action.hpp — `automuse-host --plugin NAME [ACTION] [--account A | --accounts
// all] [--set k=v]`: run one action, or the same action for several accounts concurrently,
// wait for every completion, print the results. Ctrl-C cancels.
#pragma once

#include "app/host_context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace automuse::app {

struct ActionRequest {
  std::string plugin;
  std::string action;  // empty: the plugin's first declared action
  std::optional<std::string> account;
  std::vector<std::string> sets;    // "key=value"
  std::vector<std::string> extras;  // the rest of the command line: --key value, positionals
};

// Runs every request (concurrently, within the runner's limits) and returns the process exit
// code: 0 when all succeeded, else the first failure's (1 failure, 2 bad usage, 130
// cancelled). One request prints its result JSON to stdout; several print one JSON object
// per line with the account's nickname.
int run_actions(HostContext &context, const std::vector<ActionRequest> &requests);

}  // namespace automuse::app
