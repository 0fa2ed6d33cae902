// host/app/plugin_commands.hpp — `plugins list|info|install|remove`, the hidden `__probe`,
// and the plugin lookup by id that `--plugin NAME` uses.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "app/host_context.hpp"
#include "plugins/plugin_module.hpp"

namespace automuse::app {

// Adds the `plugins` subcommand tree to `app`. `context` is called when a command runs; the
// command's exit status is stored in *exit_code.
void add_plugin_commands(CLI::App &app, const std::function<HostContext &()> &context,
                         int *exit_code);

// Probe every candidate plugin in child processes and resolve them like a run does
// (plugins/plugin_resolution.hpp): the info objects of the files in use, one error line per
// problem (a file that did not load, a duplicate id), and one note per id whose file takes
// precedence over copies in later folders.
struct Discovery {
  std::vector<boost::json::object> plugins;
  std::vector<std::string> errors;
  std::vector<std::string> notes;
};
Discovery discover_plugins(const HostContext &context);

// Open (in this process) the plugin whose id is `id`, not yet initialised, chosen the way
// `plugins list` chooses it; says on stderr when it takes precedence over other copies.
// Throws plugins::PluginError if there is none, or if a problem stops it: a file that does
// not load (its own, or one that cannot tell which plugin it is) or a duplicate id.
std::shared_ptr<plugins::PluginModule> open_plugin_by_id(const HostContext &context,
                                                         const std::string &id);

}  // namespace automuse::app
