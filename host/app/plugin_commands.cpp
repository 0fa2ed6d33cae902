// host/app/plugin_commands.cpp — the plugin management commands.
#include "app/plugin_commands.hpp"

#include <boost/json.hpp>
#include <iostream>
#include <map>

#include "config/paths.hpp"
#include "plugins/plugin_finder.hpp"
#include "plugins/plugin_install.hpp"
#include "plugins/plugin_probe.hpp"
#include "plugins/plugin_resolution.hpp"

namespace automuse::app {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string str_field(const json::object &o, const char *key) {
  if (auto *v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return "";
}

std::string join_actions(const json::object &o) {
  std::string out;
  if (auto *a = o.if_contains("actions"); a && a->is_array())
    for (auto &x : a->as_array())
      if (x.is_string()) out += (out.empty() ? "" : ", ") + std::string(x.as_string());
  return out;
}

int list_command(const HostContext &ctx, bool as_json) {
  auto found = discover_plugins(ctx);
  for (auto &n : found.notes) std::cerr << "automuse-host: " << n << "\n";
  for (auto &e : found.errors) std::cerr << "automuse-host: " << e << "\n";
  if (as_json) {
    json::array arr;
    for (auto &p : found.plugins) arr.push_back(p);
    std::cout << json::serialize(arr) << "\n";
  } else if (found.plugins.empty()) {
    std::cout << "No plugins found. Searched:";
    for (auto &d : plugins::search_dirs(ctx.options().plugin_dir)) std::cout << " " << d.string();
    std::cout << "\n";
  } else {
    for (auto &p : found.plugins)
      std::cout << str_field(p, "id") << "  " << str_field(p, "version") << "  (ABI "
                << str_field(p, "abi") << ")  actions: " << join_actions(p) << "\n    "
                << str_field(p, "path") << "\n";
  }
  return found.errors.empty() ? 0 : 1;  // a run would refuse what failed here
}

int info_command(const HostContext &ctx, const std::string &name) {
  auto found = discover_plugins(ctx);
  for (auto &p : found.plugins) {
    if (str_field(p, "id") != name) continue;
    // The full description, not just the summary, comes from a fresh probe.
    auto r = plugins::probe_in_child(str_field(p, "path"));
    std::cout << "id:       " << name << "\nname:     " << str_field(p, "name")
              << "\nversion:  " << str_field(p, "version") << "\nABI:      " << str_field(p, "abi")
              << "\nfile:     " << str_field(p, "path") << "\nactions:  " << join_actions(p)
              << "\n";
    if (auto *d = p.if_contains("description"); d && d->is_string())
      std::cout << "about:    " << d->as_string() << "\n";
    if (auto *pub = p.if_contains("publishes"))
      std::cout << "publishes: " << json::serialize(*pub) << "\n";
    return 0;
  }
  for (auto &e : found.errors)
    if (e.find(name) != std::string::npos) {
      std::cerr << "automuse-host: " << e << "\n";
      return 1;
    }
  std::cerr << "automuse-host: no plugin with id '" << name
            << "' (see `automuse-host plugins list`)\n";
  return 1;
}

int install_command(const plugins::InstallRequest &request) {
  try {
    const plugins::Installed done = plugins::install_plugin(request);
    std::cout << "installed " << done.id << " " << done.version << " to " << done.file.string();
    if (done.replaced) std::cout << ", replacing " << done.replaced->string();
    if (done.shadowed)
      std::cout << ", taking precedence over the bundled " << done.shadowed->string();
    std::cout << "\n";
    return 0;
  } catch (const plugins::PluginError &e) {
    std::cerr << "automuse-host: cannot install: " << e.what() << "\n";
    return 1;
  }
}

int remove_command(const HostContext &ctx, const std::string &name) {
  fs::path user_dir = config::user_plugin_dir();
  for (auto &file : plugins::candidate_files({user_dir})) {
    auto r = plugins::probe_in_child(file);
    if (r.info && str_field(*r.info, "id") == name) {
      fs::remove(file);
      std::cout << "removed " << name << " (" << file.string() << ")\n";
      return 0;
    }
  }
  auto found = discover_plugins(ctx);
  for (auto &p : found.plugins)
    if (str_field(p, "id") == name) {
      std::cerr << "automuse-host: " << name << " is not in the user plugin folder ("
                << user_dir.string() << "): it comes from " << str_field(p, "path")
                << " and is not removed\n";
      return 1;
    }
  std::cerr << "automuse-host: no installed plugin with id '" << name << "'\n";
  return 1;
}

}  // namespace

Discovery discover_plugins(const HostContext &context) {
  std::map<fs::path, json::object> infos;
  auto probe = [&](const fs::path &file) {
    plugins::PluginFile f;
    auto r = plugins::probe_in_child(file);
    if (!r.info) {
      f.error = r.error;
    } else {
      f.id = str_field(*r.info, "id");
      infos[file] = std::move(*r.info);
    }
    return f;
  };
  auto resolution = plugins::resolve_plugins(
      plugins::read_plugin_files(plugins::search_dirs(context.options().plugin_dir), probe));
  Discovery d;
  for (auto &[id, use] : resolution.used) {
    d.plugins.push_back(std::move(infos.at(use.path)));
    if (auto note = use.note(); !note.empty()) d.notes.push_back("plugin '" + id + "': " + note);
  }
  for (auto &p : resolution.problems) d.errors.push_back(p.message);
  return d;
}

std::shared_ptr<plugins::PluginModule> open_plugin_by_id(const HostContext &context,
                                                         const std::string &id) {
  std::map<fs::path, std::shared_ptr<plugins::PluginModule>> opened;
  auto open = [&](const fs::path &file) {
    plugins::PluginFile f;
    try {
      auto m = plugins::PluginModule::open(file);
      f.id = m->id();
      if (*f.id == id) opened[file] = std::move(m);  // others are unloaded at once
    } catch (const plugins::PluginError &e) {
      f.error = e.what();
      if (!e.plugin_id().empty()) f.id = e.plugin_id();
    }
    return f;
  };
  auto resolution = plugins::resolve_plugins(
      plugins::read_plugin_files(plugins::search_dirs(context.options().plugin_dir), open));
  if (auto problems = resolution.problems_for(id); !problems.empty()) {
    std::string msg = "cannot run plugin '" + id + "': " + problems.front();
    for (size_t i = 1; i < problems.size(); ++i) msg += "\n  also: " + problems[i];
    throw plugins::PluginError(msg, id);
  }
  auto use = resolution.used.find(id);
  if (use == resolution.used.end())
    throw plugins::PluginError("no plugin with id '" + id + "' (see `automuse-host plugins list`)",
                               AM_NOT_FOUND);
  if (auto note = use->second.note(); !note.empty())
    std::cerr << "automuse-host: plugin '" << id << "': " << note << "\n";
  return opened.at(use->second.path);
}

void add_plugin_commands(CLI::App &app, const std::function<HostContext &()> &context,
                         int *exit_code) {
  auto *plugins_cmd = app.add_subcommand("plugins", "List, inspect, install and remove plugins");
  plugins_cmd->require_subcommand(1);

  auto *list = plugins_cmd->add_subcommand("list", "List the plugins found, in search order");
  auto list_json = std::make_shared<bool>(false);
  list->add_flag("--json", *list_json, "Print a JSON array");
  list->callback([=] { *exit_code = list_command(context(), *list_json); });

  auto *info = plugins_cmd->add_subcommand("info", "Show one plugin's details");
  auto info_name = std::make_shared<std::string>();
  info->add_option("NAME", *info_name, "Plugin id")->required();
  info->callback([=] { *exit_code = info_command(context(), *info_name); });

  auto *install = plugins_cmd->add_subcommand(
      "install", "Check a plugin library and copy it into the user plugin folder");
  auto install_path = std::make_shared<std::string>();
  install->add_option("PATH", *install_path, "The plugin's .so file")->required();
  auto request = std::make_shared<plugins::InstallRequest>();
  install->add_flag("--replace", request->replace,
                    "Replace an installed plugin with the same id (an error otherwise)");
  install->add_flag("--replace-bundled", request->replace_bundled,
                    "Install a plugin with the id of a bundled one (youtube, twitter, afm), which "
                    "then takes its place (an error otherwise)");
  install->callback([=] {
    request->source = *install_path;
    request->user_dir = config::user_plugin_dir();
    *exit_code = install_command(*request);
  });

  auto *remove =
      plugins_cmd->add_subcommand("remove", "Remove a plugin from the user plugin folder");
  auto remove_name = std::make_shared<std::string>();
  remove->add_option("NAME", *remove_name, "Plugin id")->required();
  remove->callback([=] { *exit_code = remove_command(context(), *remove_name); });
}

}  // namespace automuse::app
