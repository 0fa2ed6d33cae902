// host/app/action_runner.cpp — queueing, per-account serialisation, job start and drain.
#include "app/action_runner.hpp"

#include <atomic>
#include <automuse/cpp/str.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "app/plugin_commands.hpp"
#include "log/logging.hpp"
#include "plugins/action_call.hpp"
#include "plugins/action_options.hpp"
#include "publish/publish_registry.hpp"

namespace automuse::app {
namespace json = boost::json;

int ActionOutcome::exit_code() const {
  switch (status) {
    case AM_OK:
      return 0;
    case AM_INVALID_ARGUMENT:
      return 2;
    case AM_CANCELLED:
      return 130;
    default:
      return 1;
  }
}

// One job in flight: the call struct the plugin borrows, and the completion bookkeeping.
struct ActionRunner::Running : std::enable_shared_from_this<Running> {
  Pending pending;
  std::string action, key;
  std::shared_ptr<plugins::PluginModule> module;
  std::shared_ptr<am_job> job;
  std::unique_ptr<plugins::ActionCall> call;  // what the plugin borrows until done
  std::atomic<int> done_calls{0};
  bool cancelled_for_shutdown = false;  // main thread only
  bool finishing = false;               // its outcome is in: only draining is left
  ActionRunner *runner = nullptr;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  static void done(void *user, am_status status, am_str result, am_str message) {
    auto *self = static_cast<Running *>(user);
    if (self->done_calls.fetch_add(1) != 0) {
      log::write("host", spdlog::level::err,
                 self->job->name() + ": action completed more than once (plugin bug); ignored");
      return;
    }
    // Redacted here, where the plugin's text enters the host: printed, logged and kept in
    // job_runs from then on.
    ActionOutcome o{status, log::redact(am::to_string(result)),
                    log::redact(am::to_string(message))};
    auto keep = self->shared_from_this();
    boost::asio::post(self->runner->main_io_, [keep, o = std::move(o)]() mutable {
      keep->runner->finish(keep, std::move(o));
    });
  }
};

namespace {

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

}  // namespace

ActionRunner::ActionRunner(HostContext &context, boost::asio::io_context &main_io, size_t max_jobs)
    : context_(context), main_io_(main_io), max_jobs_(std::max<size_t>(1, max_jobs)) {}

ActionRunner::~ActionRunner() {
  cancel_all();
  // Let the cancelled jobs report; their completions (and publisher loads handed to this
  // thread) are posted to main_io_.
  while (!running_.empty()) {
    main_io_.restart();
    main_io_.run_one_for(std::chrono::milliseconds(100));
  }
  if (loads_here_)
    if (auto *registry = publish::PublishRegistry::in(context_.services()))
      registry->clear_main_thread();
  modules_.clear();  // deinit and unload, on this thread
}

std::string ActionRunner::account_key(const ActionRequest &r) {
  return r.plugin + "\n" + (r.account ? *r.account : std::string());
}

std::shared_ptr<plugins::PluginModule> ActionRunner::module_for(const std::string &plugin_id) {
  if (auto it = modules_.find(plugin_id); it != modules_.end()) return it->second;
  auto module = context_.plugin(plugin_id);  // shared with publishers loaded on demand
  modules_.emplace(plugin_id, module);
  // From now on the services exist: a publisher another plugin asks for from a job's thread
  // is loaded here, on the main thread, as plugin.h promises (this thread never blocks on
  // the jobs' threads while they run; see finish).
  if (!loads_here_)
    if (auto *registry = publish::PublishRegistry::in(context_.services())) {
      registry->set_main_thread(
          std::this_thread::get_id(),
          [&io = main_io_](std::function<void()> fn) { boost::asio::post(io, std::move(fn)); });
      loads_here_ = true;
    }
  return module;
}

void ActionRunner::submit(ActionRequest request, DoneFn done) {
  if (!taking_) {
    boost::asio::post(main_io_, [done = std::move(done)] {
      ActionOutcome o{AM_CANCELLED, "null", "not started: the host is shutting down"};
      o.interrupted = true;
      done(o);
    });
    return;
  }
  queue_.push_back(Pending{std::move(request), std::move(done)});
  pump();
}

void ActionRunner::pump() {
  for (auto it = queue_.begin(); it != queue_.end() && running_.size() < max_jobs_;) {
    if (busy_accounts_.count(account_key(it->request))) {
      ++it;
      continue;
    }
    Pending p = std::move(*it);
    it = queue_.erase(it);
    start(std::move(p));
  }
}

void ActionRunner::start(Pending pending) {
  auto fail_now = [&](am_status s, std::string message) {
    boost::asio::post(main_io_, [done = std::move(pending.done), s, message = std::move(message)] {
      done(ActionOutcome{s, "null", log::redact(message)});
    });
  };
  const ActionRequest &request = pending.request;
  std::shared_ptr<plugins::PluginModule> module;
  try {
    module = module_for(request.plugin);
  } catch (const plugins::PluginError &e) {
    return fail_now(e.status(), e.what());
  } catch (const std::exception &e) {
    return fail_now(AM_ERROR, e.what());
  }
  std::string listing;
  auto action = find_action(module->info().description, request.action, listing);
  if (!action)
    return fail_now(AM_INVALID_ARGUMENT,
                    request.plugin + " has no action '" + request.action +
                        "' (its actions: " + (listing.empty() ? "none" : listing) + ")");
  json::object args_obj;
  plugins::ActionArguments given;
  try {
    auto specs = plugins::option_specs(request.plugin, module->info().description, *action);
    given = plugins::parse_action_arguments(request.plugin, *action, specs, request.sets,
                                            request.extras);
  } catch (const std::invalid_argument &e) {
    return fail_now(AM_INVALID_ARGUMENT, e.what());
  }
  std::string account_id;
  if (request.account) {
    try {
      auto found = context_.store().resolve_account(*request.account, request.plugin);
      account_id = found.id;
      json::object account;
      account["id"] = found.id;
      account["nickname"] = found.nickname;
      account["fields"] = found.fields;
      account["extra"] = found.extra;
      args_obj["account"] = std::move(account);
    } catch (const std::exception &e) {
      return fail_now(AM_INVALID_ARGUMENT,
                      request.plugin + ": account '" + *request.account + "': " + e.what() +
                          " (see `automuse-host accounts list --plugin " + request.plugin + "`)");
    }
  } else {
    args_obj["account"] = nullptr;
  }
  args_obj["options"] = std::move(given.options);
  args_obj["args"] = std::move(given.args);

  auto run = std::make_shared<Running>();
  run->runner = this;
  run->action = *action;
  run->key = account_key(request);
  run->module = module;
  std::string name =
      request.plugin + ":" + *action + (request.account ? ":" + *request.account : "");
  run->job = context_.runtime().make_job(name, module);
  run->job->set_run_info(
      am_job::RunInfo{request.job_id.empty() ? run->job->run_id() : request.job_id, request.plugin,
                      account_id, request.again});
  run->call = std::make_unique<plugins::ActionCall>(request.plugin, *action, std::move(args_obj),
                                                    run->job.get(), &Running::done, run.get());
  run->pending = std::move(pending);  // `request` refers into it: not used after this
  busy_accounts_.insert(run->key);
  running_.insert(run);
  log::write("host", spdlog::level::info, "start " + name);
  const am_plugin_entry *entry = &module->entry();
  run->job->post([run, entry] {
    am_status s = entry->start_action(run->call->call());
    if (s != AM_OK) {
      const std::string &reason = run->call->refusal();
      std::string why = run->pending.request.plugin + " refused action '" + run->action + "' (" +
                        am_status_name(s) + ")" +
                        (reason.empty() ? "; the plugin gave no reason" : ": " + reason);
      Running::done(run.get(), s, am_str{"null", 4}, am::to_am_str(why));
    }
  });
}

void ActionRunner::finish(const std::shared_ptr<Running> &run, ActionOutcome outcome) {
  // Leftover operations of the job are cancelled and drained while the library is loaded.
  run->finishing = true;
  run->job->cancel();
  drain(run, std::move(outcome), std::chrono::milliseconds(1));
}

void ActionRunner::drain(const std::shared_ptr<Running> &run, ActionOutcome outcome,
                         std::chrono::milliseconds poll) {
  // Not job->wait_idle(): a job's I/O thread may be waiting for this thread to load a
  // publisher (publish::PublishRegistry::set_main_thread), and blocking here on that same
  // I/O thread's deliveries would deadlock both. So this thread polls and keeps running
  // main_io_ in between; the cancelled operations usually drain within a millisecond or two.
  if (run->job->pending() > 0) {
    auto timer = std::make_shared<boost::asio::steady_timer>(main_io_, poll);
    timer->async_wait([this, run, timer, poll,
                       outcome = std::move(outcome)](const boost::system::error_code &) mutable {
      drain(run, std::move(outcome), std::min(poll * 2, std::chrono::milliseconds(20)));
    });
    return;
  }
  auto keep_alive = run->job->release_keep_alive();
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run->started).count();
  log::write("host", outcome.status == AM_OK ? spdlog::level::info : spdlog::level::warn,
             "end " + run->job->name() + " (" + am_status_name(outcome.status) + ", " +
                 std::to_string(static_cast<int>(secs * 1000)) + " ms)");
  // A job cancelled by a shutdown is interrupted, whatever status its cancelled step chose.
  if (run->cancelled_for_shutdown && outcome.status != AM_OK) outcome.interrupted = true;
  busy_accounts_.erase(run->key);
  running_.erase(run);
  DoneFn done = std::move(run->pending.done);
  run->job.reset();
  keep_alive.reset();
  done(outcome);
  pump();
}

void ActionRunner::stop_taking() {
  taking_ = false;
  auto queued = std::move(queue_);
  queue_.clear();
  for (auto &p : queued) {
    ActionOutcome o{AM_CANCELLED, "null", "not started: the host is shutting down"};
    o.interrupted = true;
    p.done(o);
  }
}

void ActionRunner::cancel_all() {
  auto queued = std::move(queue_);
  queue_.clear();
  for (auto &p : queued) p.done(ActionOutcome{AM_CANCELLED, "null", "cancelled before it started"});
  for (auto &r : running_) {
    if (!r->finishing) r->cancelled_for_shutdown = !taking_;
    r->job->cancel();
  }
}

void ActionRunner::cancel_job(const std::string &job_id) {
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->request.job_id != job_id) continue;
    Pending p = std::move(*it);
    queue_.erase(it);
    p.done(ActionOutcome{AM_CANCELLED, "null", "cancelled before it started"});
    return;
  }
  for (auto &r : running_)
    if (r->pending.request.job_id == job_id) r->job->cancel();
}

}  // namespace automuse::app
