// host/app/approval_commands.hpp — `jobs approve ID` and `jobs reject ID`: the command line's
// side of the approval gate (schedule/approval.hpp), the same decisions the API's
// POST /api/v1/jobs/{id}/approve and /reject take.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "app/host_context.hpp"

namespace automuse::app {

// Adds `approve` and `reject` under the `jobs` command.
void add_approval_commands(CLI::App &jobs, const std::function<HostContext &()> &context,
                           int *exit_code);

}  // namespace automuse::app
