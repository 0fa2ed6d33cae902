// host/app/main.cpp — automuse-host: global options, the command tree, and dispatch to a
// plugin's action with --plugin NAME.
#include <automuse/version.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/auth_command.hpp"
#include "app/config_commands.hpp"
#include "app/host_context.hpp"
#include "app/llm_commands.hpp"
#include "app/plugin_commands.hpp"
#include "app/publications_command.hpp"
#include "app/run_action.hpp"
#include "app/schedule_commands.hpp"
#include "app/serve_command.hpp"
#include "app/store_commands.hpp"
#include "plugins/plugin_probe.hpp"
#include "version.hpp"  // generated, host/core

using namespace automuse;

namespace {

std::string version_line() {
  return std::string(core::kHostName) + " " + core::kHostVersion + " (SDK ABI " +
         std::to_string(AM_ABI_MAJOR) + "." + std::to_string(AM_ABI_MINOR) + ")";
}

// "    ACTION --NAME <type>  help" for every option the plugin's actions declare.
std::string option_lines(const boost::json::object &plugin) {
  std::string out;
  const boost::json::value *options = plugin.if_contains("options");
  if (!options || !options->is_object()) return out;
  for (const auto &[action, list] : options->as_object()) {
    if (!list.is_array()) continue;
    for (const auto &o : list.as_array()) {
      if (!o.is_object()) continue;
      const auto &spec = o.as_object();
      auto text = [&](const char *key) {
        const boost::json::value *v = spec.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
      };
      std::string line =
          "    " + std::string(action) + " --" + text("name") + " <" + text("type") + ">";
      if (std::string help = text("help"); !help.empty()) line += "  " + help;
      out += line + "\n";
    }
  }
  return out;
}

// The --help footer: every installed plugin, its actions and their options (read in child
// processes).
std::string plugins_footer(const app::GlobalOptions &options) {
  try {
    app::HostContext ctx(options);
    auto found = app::discover_plugins(ctx);
    std::string out = "\nPlugins (automuse-host --plugin NAME ACTION):\n";
    if (found.plugins.empty()) out += "  (none found)\n";
    for (auto &p : found.plugins) {
      out += "  " + std::string(p.at("id").as_string()) + ":";
      for (auto &a : p.at("actions").as_array()) out += " " + std::string(a.as_string());
      out += "\n";
      out += option_lines(p);
    }
    return out;
  } catch (const std::exception &e) {
    return std::string("\nPlugins: cannot list them: ") + e.what() + "\n";
  }
}

}  // namespace

int main(int argc, char **argv) {
  if (argc == 3 && std::string_view(argv[1]) == "__probe") {
    app::GlobalOptions o;
    try {
      app::HostContext ctx(o);
      return plugins::probe_main(argv[2], ctx.services(), ctx.runtime());
    } catch (const std::exception &e) {
      std::cerr << e.what() << "\n";
      return 3;
    }
  }

  CLI::App app{"AutoMuse: automated short-form content, as a plugin host", "automuse-host"};
  app.set_version_flag("--version", version_line());
  app::GlobalOptions options;
  std::string config_path, plugin_dir;
  app.add_option("--config", config_path,
                 "Configuration file (default: $XDG_CONFIG_HOME/automuse/automuse.json)");
  app.add_option("--plugin-dir", plugin_dir, "Look for plugins here first");
  app.add_flag("-v,--verbose", options.verbosity, "More output (repeat for more)");
  int quiet = 0;
  app.add_flag("-q,--quiet", quiet, "Less output");
  app.add_flag("--log-json", options.log_json, "Log as JSON lines");

  app::ActionRequest action;
  auto *plugin_opt = app.add_option("--plugin", action.plugin, "Run an action of this plugin");
  app.add_option("ACTION", action.action, "The plugin action (default: its first)");
  std::string account, accounts;
  auto *account_opt = app.add_option("--account", account, "The account to act for (nickname)");
  app.add_option("--accounts", accounts,
                 "Run for several accounts concurrently: 'all', or nicknames separated by commas")
      ->excludes(account_opt);
  app.add_option("--set", action.sets, "key=value options for the action")->take_all();
  app.add_flag("--again", action.again,
               "Run anew even if an identical run finished, and publish content again even "
               "where it is already published");
  app.allow_extras();
  app.footer([&] {
    // --help stops parsing before parse_complete_callback: read the raw option values.
    app::GlobalOptions o = options;
    if (!config_path.empty()) o.config_file = config_path;
    if (!plugin_dir.empty()) o.plugin_dir = plugin_dir;
    return plugins_footer(o);
  });

  int exit_code = 0;
  std::optional<app::HostContext> context;
  std::function<app::HostContext &()> get_context = [&]() -> app::HostContext & {
    if (!context) context.emplace(options);
    return *context;
  };
  app::add_plugin_commands(app, get_context, &exit_code);
  auto *auth_cmd = app::add_auth_command(app, get_context, &exit_code, &action.plugin, &account);
  app::add_config_commands(app, &options, &exit_code);
  app::add_schedule_commands(app, get_context, &exit_code);
  app::add_publications_command(app, get_context, &exit_code);
  app::add_serve_command(app, get_context, &exit_code);
  llm::add_llm_commands(
      app,
      [&] {
        llm::LlmCliContext lc;
        lc.llm = [&]() -> llm::LlmHost & { return get_context().llm(); };
        lc.runtime = [&]() -> core::Runtime & { return get_context().runtime(); };
        lc.config = [&]() -> const config::Config & { return get_context().config(); };
        return lc;
      },
      &exit_code);
  store::add_store_commands(
      app,
      [&] {
        store::StoreContext sc;
        sc.store = [&]() -> store::Store & { return get_context().store(); };
        sc.cache = [&]() -> cache::Cache & { return get_context().cache(); };
        sc.account_schema = [&](const std::string &plugin_id) -> std::optional<std::string> {
          for (auto &p : app::discover_plugins(get_context()).plugins)
            if (p.at("id").as_string() == plugin_id) return boost::json::serialize(p);
          return std::nullopt;
        };
        return sc;
      },
      &exit_code);
  // After a top-level --plugin the next word is the plugin's action, even one named like a host
  // command (a plugin's "jobs", or any command a newer host adds): the commands stand aside
  // as soon as --plugin is read, before the word is. `auth` stays: it runs the plugin's auth.
  plugin_opt->trigger_on_parse()->each([&](const std::string &) {
    for (CLI::App *command : app.get_subcommands({}))
      if (command != auth_cmd) command->disabled();
  });
  app.parse_complete_callback([&] {
    if (!config_path.empty()) options.config_file = config_path;
    if (!plugin_dir.empty()) options.plugin_dir = plugin_dir;
    options.verbosity -= quiet;
  });

  try {
    app.parse(argc, argv);
    if (!action.plugin.empty() && !auth_cmd->parsed()) {
      if (!account.empty()) action.account = account;
      action.extras = app.remaining();
      std::vector<app::ActionRequest> requests;
      if (accounts.empty()) {
        requests.push_back(action);
      } else {
        std::vector<std::string> names;
        if (accounts == "all") {
          for (auto &a : get_context().store().list_accounts(action.plugin))
            names.push_back(a.nickname);
        } else {
          std::stringstream ss(accounts);
          for (std::string n; std::getline(ss, n, ',');)
            if (!n.empty()) names.push_back(n);
        }
        for (auto &n : names) {
          auto r = action;
          r.account = n;
          requests.push_back(std::move(r));
        }
      }
      return app::run_actions(get_context(), requests);
    }
    if (!app.remaining().empty()) {
      std::cerr << "automuse-host: unexpected arguments:";
      for (auto &r : app.remaining()) std::cerr << " " << r;
      std::cerr << " (see --help)\n";
      return 2;
    }
    if (app.get_subcommands().empty() && action.action.empty()) {
      std::cout << app.help();
      return 0;
    }
    if (app.get_subcommands().empty()) {
      std::cerr << "automuse-host: unknown command '" << action.action << "' (see --help)\n";
      return 2;
    }
    return exit_code;
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  } catch (const std::exception &e) {
    std::cerr << "automuse-host: " << e.what() << "\n";
    return 1;
  }
}
