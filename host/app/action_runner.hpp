// host/app/action_runner.hpp — runs plugin actions as jobs, many at once: one job at a time
// per account, at most `max_jobs` jobs in flight (network-bound work waits here, not in a
// thread), and CPU-heavy steps limited separately by the worker pool's size
// (limits.renders). Used by `--plugin P ACTION`, `--accounts all`, run-due and the daemon.
//
// Threads: every member function is called on the thread that runs `main_io` (the main
// thread); completions are posted back to it, so the runner needs no locks. Plugins are
// loaded and initialised on that thread too, as plugin.h promises — also a publisher that a
// running job asks for: its load is handed to this thread, which therefore never blocks on
// the jobs' threads while jobs run.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "app/host_context.hpp"
#include "app/run_action.hpp"
#include "plugins/plugin_module.hpp"

namespace automuse::app {

struct ActionOutcome {
  am_status status = AM_INTERNAL;
  std::string result_json;  // the plugin's result ("null" when none)
  std::string message;      // the error, or a note
  // Stopped by a shutdown (cancel_all after stop_taking, or never started because of it):
  // the job is to be resumed by the next start, not counted as failed.
  bool interrupted = false;
  int exit_code() const;  // 0 ok, 2 invalid argument, 130 cancelled, 1 otherwise
};

class ActionRunner {
 public:
  using DoneFn = std::function<void(const ActionOutcome &)>;

  ActionRunner(HostContext &context, boost::asio::io_context &main_io, size_t max_jobs);
  ~ActionRunner();  // cancels what still runs, drains it, unloads plugins
  ActionRunner(const ActionRunner &) = delete;
  ActionRunner &operator=(const ActionRunner &) = delete;

  // Queue one action. `done` runs exactly once on the main thread: with the plugin's outcome,
  // or at once (posted) with an error if the plugin, action or account is unknown.
  void submit(ActionRequest request, DoneFn done);

  size_t running() const noexcept { return running_.size(); }
  size_t queued() const noexcept { return queue_.size(); }
  bool idle() const noexcept { return running_.empty() && queue_.empty(); }

  // Shutdown, first step: start nothing more. Queued jobs complete at once with AM_CANCELLED
  // and `interrupted`; later submits too. Running jobs go on.
  void stop_taking();
  bool taking() const noexcept { return taking_; }

  // Cancel every running job and drop the queue (queued ones complete with AM_CANCELLED).
  // After stop_taking, the cancelled jobs' outcomes are marked `interrupted` unless they
  // succeeded anyway.
  void cancel_all();

  // Cancel the job whose request carries `job_id` (queued: it completes with AM_CANCELLED at
  // once): another worker took it over after this one's lease lapsed.
  void cancel_job(const std::string &job_id);

 private:
  struct Pending {
    ActionRequest request;
    DoneFn done;
  };
  struct Running;

  void pump();
  void start(Pending pending);
  void finish(const std::shared_ptr<Running> &run, ActionOutcome outcome);
  // The rest of finish once the job's cancelled operations are delivered, polling every
  // `poll` without blocking this thread.
  void drain(const std::shared_ptr<Running> &run, ActionOutcome outcome,
             std::chrono::milliseconds poll);
  std::shared_ptr<plugins::PluginModule> module_for(const std::string &plugin_id);
  static std::string account_key(const ActionRequest &r);

  HostContext &context_;
  boost::asio::io_context &main_io_;
  size_t max_jobs_;
  bool taking_ = true;
  std::deque<Pending> queue_;
  std::set<std::string> busy_accounts_;
  std::map<std::string, std::shared_ptr<plugins::PluginModule>> modules_;
  std::set<std::shared_ptr<Running>> running_;
  bool loads_here_ = false;  // publishers loaded on demand are loaded on this thread
};

}  // namespace automuse::app
