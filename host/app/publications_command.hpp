// host/app/publications_command.hpp — `automuse-host publications [--account A] [--target T]
// [--state S] [--json]`: the publication ledger as people read it, newest first. This is where
// a user finds what is uncertain (and the note saying where to look) before passing --again.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "app/host_context.hpp"

namespace automuse::app {

// Adds the `publications` subcommand; its exit status goes to *exit_code.
void add_publications_command(CLI::App &app, const std::function<HostContext &()> &context,
                              int *exit_code);

}  // namespace automuse::app
