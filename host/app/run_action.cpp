// host/app/run_action.cpp — one plugin action as one job, with Ctrl-C cancelling it and a
// drain of the job's leftover operations before the plugin is unloaded.
#include "app/run_action.hpp"

#include "app/plugin_commands.hpp"
#include "log/logging.hpp"

#include <automuse/cpp/str.hpp>

#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <future>
#include <iostream>

namespace automuse::app {
namespace json = boost::json;

namespace {

struct Outcome {
  am_status status = AM_INTERNAL;
  std::string result_json;
  std::string message;
};

// Where the plugin's done callback lands; detects a second call (an ABI violation).
struct Completion {
  std::promise<Outcome> promise;
  std::atomic<int> calls{0};
  std::string plugin;

  static void done(void *user, am_status status, am_str result, am_str message) {
    auto *self = static_cast<Completion *>(user);
    if (self->calls.fetch_add(1) != 0) {
      log::write("host", spdlog::level::err,
                 self->plugin + ": action completed more than once (plugin bug); ignored");
      return;
    }
    self->promise.set_value(Outcome{status, am::to_string(result), am::to_string(message)});
  }
};

std::optional<std::string> find_action(const json::object &description, const std::string &name,
                                       std::string &listing) {
  std::optional<std::string> first;
  if (auto *a = description.if_contains("actions"); a && a->is_array()) {
    for (auto &x : a->as_array()) {
      auto *o = x.if_object();
      if (!o) continue;
      auto *n = o->if_contains("name");
      if (!n || !n->is_string()) continue;
      std::string action(n->as_string());
      listing += (listing.empty() ? "" : ", ") + action;
      if (!first) first = action;
      if (action == name) return action;
    }
  }
  if (name.empty()) return first;
  return std::nullopt;
}

// --set k=v and trailing `--key value` / `--flag` / positionals into options and args.
bool build_args(const ActionRequest &r, json::object &options, json::array &args,
                std::string &error) {
  for (auto &kv : r.sets) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = "--set expects key=value, got '" + kv + "'";
      return false;
    }
    options[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (size_t i = 0; i < r.extras.size(); ++i) {
    const std::string &e = r.extras[i];
    if (e.rfind("--", 0) == 0 && e.size() > 2) {
      std::string key = e.substr(2);
      if (auto eq = key.find('='); eq != std::string::npos) {
        options[key.substr(0, eq)] = key.substr(eq + 1);
      } else if (i + 1 < r.extras.size() && r.extras[i + 1].rfind("--", 0) != 0) {
        options[key] = r.extras[++i];
      } else {
        options[key] = true;
      }
    } else {
      args.emplace_back(e);
    }
  }
  return true;
}

}  // namespace

int run_action(HostContext &context, const ActionRequest &request) {
  std::shared_ptr<plugins::PluginModule> module;
  try {
    module = open_plugin_by_id(context, request.plugin);
    module->initialise(context.services(), context.runtime());
  } catch (const std::exception &e) {
    std::cerr << "automuse-host: " << e.what() << "\n";
    return 1;
  }
  std::string listing;
  auto action = find_action(module->info().description, request.action, listing);
  if (!action) {
    std::cerr << "automuse-host: " << request.plugin << " has no action '" << request.action
              << "' (its actions: " << (listing.empty() ? "none" : listing) << ")\n";
    return 2;
  }
  json::object args_obj;
  json::object options;
  json::array args;
  std::string error;
  if (!build_args(request, options, args, error)) {
    std::cerr << "automuse-host: " << error << "\n";
    return 2;
  }
  if (request.account) {
    try {
      auto found = context.store().resolve_account(*request.account, request.plugin);
      json::object account;
      account["id"] = found.id;
      account["nickname"] = found.nickname;
      account["fields"] = found.fields;
      account["extra"] = found.extra;
      args_obj["account"] = std::move(account);
    } catch (const std::exception &e) {
      std::cerr << "automuse-host: " << request.plugin << ": account '" << *request.account
                << "': " << e.what() << " (see `automuse-host accounts list --plugin "
                << request.plugin << "`)\n";
      return 2;
    }
  } else {
    args_obj["account"] = nullptr;
  }
  args_obj["options"] = std::move(options);
  args_obj["args"] = std::move(args);
  const std::string args_json = json::serialize(args_obj);

  auto job = context.runtime().make_job(request.plugin + ":" + *action, module);
  Completion completion;
  completion.plugin = request.plugin;
  auto future = completion.promise.get_future();
  am_action_call call{};
  call.struct_size = sizeof(am_action_call);
  call.job = job.get();
  call.action = am::to_am_str(*action);
  call.args_json = am::to_am_str(args_json);
  call.done = &Completion::done;
  call.done_user = &completion;

  boost::asio::signal_set signals(context.runtime().io(), SIGINT, SIGTERM);
  std::atomic<bool> interrupted{false};
  std::promise<void> signal_wait_ended;  // the handler runs exactly once, also when cancelled
  signals.async_wait([&](const boost::system::error_code &ec, int) {
    if (!ec) {
      interrupted = true;
      log::write("host", spdlog::level::warn, "interrupted: cancelling " + job->name());
      job->cancel();
    }
    signal_wait_ended.set_value();
  });

  log::write("host", spdlog::level::debug, "starting " + job->name());
  const am_plugin_entry &entry = module->entry();
  job->post([&] {
    am_status s = entry.start_action(&call);
    if (s != AM_OK) {
      completion.calls = 1;
      completion.promise.set_value(
          Outcome{s, "", request.plugin + " refused action '" + *action + "': " + am_status_name(s)});
    }
  });
  Outcome outcome = future.get();

  // Leftover operations of the job are cancelled and drained while the library is loaded.
  job->cancel();
  job->wait_idle();
  boost::asio::post(context.runtime().io(), [&] { signals.cancel(); });
  signal_wait_ended.get_future().wait();
  auto job_module = job->release_keep_alive();
  job.reset();
  job_module.reset();
  module.reset();  // deinit, then unload, on this thread

  if (!outcome.result_json.empty() && outcome.result_json != "null")
    std::cout << outcome.result_json << "\n";
  if (outcome.status != AM_OK) {
    std::cerr << "automuse-host: " << request.plugin << " " << *action << " failed ("
              << am_status_name(outcome.status) << ")"
              << (outcome.message.empty() ? "" : ": " + outcome.message) << "\n";
    if (interrupted || outcome.status == AM_CANCELLED) return 130;
    return outcome.status == AM_INVALID_ARGUMENT ? 2 : 1;
  }
  if (!outcome.message.empty()) std::cerr << outcome.message << "\n";
  return 0;
}

}  // namespace automuse::app
