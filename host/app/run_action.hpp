// host/app/run_action.hpp — `automuse-host --plugin NAME [ACTION] [--account A] [--set k=v]`:
// load the plugin, run one action as a job, wait for its single completion, print the result.
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

// Returns the process exit code: 0 on success, 1 on failure, 2 on bad usage, 130 when
// interrupted.
int run_action(HostContext &context, const ActionRequest &request);

}  // namespace automuse::app
