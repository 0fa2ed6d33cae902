// host/app/auth_command.cpp — `auth PLUGIN`: runs the plugin's `auth` action for an account.
#include "app/auth_command.hpp"

#include <iostream>
#include <memory>

#include "app/run_action.hpp"

namespace automuse::app {

CLI::App *add_auth_command(CLI::App &app, const std::function<HostContext &()> &context,
                           int *exit_code, const std::string *plugin_option,
                           const std::string *account_option) {
  struct Options {
    std::string plugin, account;
    bool no_browser = false;
    unsigned port = 0;
    unsigned timeout = 0;
  };
  auto o = std::make_shared<Options>();
  auto *cmd = app.add_subcommand(
      "auth", "Authorise an account with its platform (OAuth in a browser) and store the tokens");
  cmd->add_option("PLUGIN", o->plugin, "The plugin (youtube, twitter)");
  cmd->add_option("--account", o->account, "The account to authorise (nickname or id)");
  cmd->add_flag("--no-browser", o->no_browser,
                "Only print the address to open (also: AUTOMUSE_NO_BROWSER=1)");
  cmd->add_option("--port", o->port,
                  "Listen for the browser's answer on this port of 127.0.0.1 (default: any free "
                  "one; X needs the port registered with its callback URL)")
      ->check(CLI::Range(0u, 65535u));
  cmd->add_option("--timeout", o->timeout, "Seconds to wait for the browser (default 300)")
      ->check(CLI::Range(1u, 86400u));
  cmd->callback([=] {
    ActionRequest r;
    r.plugin = o->plugin.empty() ? *plugin_option : o->plugin;
    if (r.plugin.empty()) {
      std::cerr << "automuse-host auth: which plugin? (automuse-host auth youtube --account A)\n";
      *exit_code = 2;
      return;
    }
    r.action = "auth";
    std::string account = o->account.empty() ? *account_option : o->account;
    if (account.empty()) {
      std::cerr << "automuse-host auth " << r.plugin << ": --account is required (see "
                << "`automuse-host accounts list --plugin " << r.plugin << "`)\n";
      *exit_code = 2;
      return;
    }
    r.account = account;
    if (o->no_browser) r.sets.push_back("no-browser=true");
    if (o->port) r.sets.push_back("port=" + std::to_string(o->port));
    if (o->timeout) r.sets.push_back("timeout=" + std::to_string(o->timeout));
    *exit_code = run_actions(context(), {r});
  });
  return cmd;
}

}  // namespace automuse::app
