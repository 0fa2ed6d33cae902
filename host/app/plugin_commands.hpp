// host/app/plugin_commands.hpp — `plugins list|info|install|remove`, the hidden `__probe`,
// and the plugin lookup by id that `--plugin NAME` uses.
#pragma once

#include "app/host_context.hpp"
#include "plugins/plugin_module.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace automuse::app {

// Adds the `plugins` subcommand tree to `app`. `context` is called when a command runs; the
// command's exit status is stored in *exit_code.
void add_plugin_commands(CLI::App &app, const std::function<HostContext &()> &context,
                         int *exit_code);

// Probe every candidate plugin in child processes: info objects of those that loaded, and
// one error line per file that did not.
struct Discovery {
  std::vector<boost::json::object> plugins;
  std::vector<std::string> errors;
};
Discovery discover_plugins(const HostContext &context);

// Open (in this process) the plugin whose id is `id`, not yet initialised. Throws
// plugins::PluginError if none or if two files declare that id (naming both).
std::shared_ptr<plugins::PluginModule> open_plugin_by_id(const HostContext &context,
                                                         const std::string &id);

}  // namespace automuse::app
