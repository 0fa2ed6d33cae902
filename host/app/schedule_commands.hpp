// host/app/schedule_commands.hpp — `schedule add|list|remove|pause|resume`, `runs`, `jobs`,
// `run-due`, `daemon` and `worker`: schedules that really fire, through the job queue.
#pragma once

#include "app/host_context.hpp"

#include <CLI/CLI.hpp>

#include <functional>

namespace automuse::app {
void add_schedule_commands(CLI::App &app, const std::function<HostContext &()> &context,
                           int *exit_code);
}  // namespace automuse::app
