// host/app/plugin_commands.cpp — the plugin management commands.
#include "app/plugin_commands.hpp"

#include "config/paths.hpp"
#include "plugins/plugin_finder.hpp"
#include "plugins/plugin_probe.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

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
  return 0;
}

int info_command(const HostContext &ctx, const std::string &name) {
  auto found = discover_plugins(ctx);
  for (auto &p : found.plugins) {
    if (str_field(p, "id") != name) continue;
    // The full description, not just the summary, comes from a fresh probe.
    auto r = plugins::probe_in_child(str_field(p, "path"));
    std::cout << "id:       " << name << "\nname:     " << str_field(p, "name")
              << "\nversion:  " << str_field(p, "version") << "\nABI:      "
              << str_field(p, "abi") << "\nfile:     " << str_field(p, "path")
              << "\nactions:  " << join_actions(p) << "\n";
    if (auto *d = p.if_contains("description"); d && d->is_string())
      std::cout << "about:    " << d->as_string() << "\n";
    if (auto *pub = p.if_contains("publishes")) std::cout << "publishes: " << json::serialize(*pub) << "\n";
    return 0;
  }
  for (auto &e : found.errors)
    if (e.find(name) != std::string::npos) {
      std::cerr << "automuse-host: " << e << "\n";
      return 1;
    }
  std::cerr << "automuse-host: no plugin with id '" << name << "' (see `automuse-host plugins list`)\n";
  return 1;
}

int install_command(const HostContext &, const std::string &source) {
  fs::path src(source);
  auto r = plugins::probe_in_child(src);
  if (!r.info) {
    std::cerr << "automuse-host: cannot install: " << r.error << "\n";
    return 1;
  }
  fs::path dir = config::user_plugin_dir();
  config::create_private_dirs(dir);
  fs::path target = dir / src.filename();
  if (target.extension() != ".so") target += ".so";
  std::ifstream in(src, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  config::write_file_atomically(target, bytes.str(),
                                fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
  std::cout << "installed " << str_field(*r.info, "id") << " " << str_field(*r.info, "version")
            << " to " << target.string() << "\n";
  return 0;
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
  Discovery d;
  std::map<std::string, std::string> seen;  // id -> file
  for (auto &file : plugins::candidate_files(plugins::search_dirs(context.options().plugin_dir))) {
    auto r = plugins::probe_in_child(file);
    if (!r.info) {
      d.errors.push_back(r.error);
      continue;
    }
    std::string id = str_field(*r.info, "id");
    if (auto it = seen.find(id); it != seen.end()) {
      d.errors.push_back(file.string() + ": duplicate plugin id '" + id + "', already provided by " +
                         it->second + " (the first one is used)");
      continue;
    }
    seen.emplace(id, file.string());
    d.plugins.push_back(std::move(*r.info));
  }
  return d;
}

std::shared_ptr<plugins::PluginModule> open_plugin_by_id(const HostContext &context,
                                                         const std::string &id) {
  std::shared_ptr<plugins::PluginModule> chosen;
  std::vector<std::string> problems;
  for (auto &file : plugins::candidate_files(plugins::search_dirs(context.options().plugin_dir))) {
    std::shared_ptr<plugins::PluginModule> m;
    try {
      m = plugins::PluginModule::open(file);
    } catch (const plugins::PluginError &e) {
      problems.push_back(e.what());
      continue;
    }
    if (m->id() != id) continue;
    if (chosen) {
      if (fs::equivalent(chosen->path(), m->path())) continue;
      throw plugins::PluginError("duplicate plugin id '" + id + "': " + chosen->path().string() +
                                 " and " + m->path().string() + " (remove one)");
    }
    chosen = std::move(m);
  }
  if (!chosen) {
    std::string msg = "no plugin with id '" + id + "' (see `automuse-host plugins list`)";
    for (auto &p : problems) msg += "\n  also: " + p;
    throw plugins::PluginError(msg, AM_NOT_FOUND);
  }
  return chosen;
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
  install->callback([=] { *exit_code = install_command(context(), *install_path); });

  auto *remove = plugins_cmd->add_subcommand("remove", "Remove a plugin from the user plugin folder");
  auto remove_name = std::make_shared<std::string>();
  remove->add_option("NAME", *remove_name, "Plugin id")->required();
  remove->callback([=] { *exit_code = remove_command(context(), *remove_name); });
}

}  // namespace automuse::app
