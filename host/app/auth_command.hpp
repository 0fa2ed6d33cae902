// host/app/auth_command.hpp — `automuse-host auth PLUGIN --account A [--no-browser]
// [--port N] [--timeout SECS]`: the first OAuth authorisation of an account, which is the
// plugin's action named `auth` (it uses automuse.oauth/1 and stores the tokens).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "app/host_context.hpp"

namespace automuse::app {

// Adds the `auth` subcommand. `plugin_option` and `account_option` are the top-level
// --plugin and --account values, used when PLUGIN / --account are not given after `auth`
// (`automuse-host --plugin youtube auth --account A`). The command's exit status goes to
// *exit_code. Returns the subcommand, so the caller can tell whether it ran.
CLI::App *add_auth_command(CLI::App &app, const std::function<HostContext &()> &context,
                           int *exit_code, const std::string *plugin_option,
                           const std::string *account_option);

}  // namespace automuse::app
