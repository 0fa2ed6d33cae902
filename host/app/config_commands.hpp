// host/app/config_commands.hpp — `config init|check|path`.
#pragma once

#include "app/host_context.hpp"

#include <CLI/CLI.hpp>

namespace automuse::app {
// `options` is read when a command runs (the configuration may be the thing that is broken,
// so these commands do not need a HostContext).
void add_config_commands(CLI::App &app, const GlobalOptions *options, int *exit_code);
}  // namespace automuse::app
