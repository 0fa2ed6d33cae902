// host/app/job_worker.hpp — a worker of the job queue (schedule/job_queue.hpp): claims jobs
// while it has free slots, runs each through the ActionRunner under a lease that a
// LeaseKeeper renews, records every attempt in job_runs, retries transient failures with
// exponential backoff (the lease stays held while it waits), and ends each job in the queue.
// A job whose lease another worker took over (this worker stalled past its lease) is cancelled
// here and left to that worker. Used by `worker`, by the daemon (its in-process worker) and
// by run-due. Per-host limits hold within it: limits.network_jobs (jobs in flight, the
// ActionRunner) and limits.renders (the worker pool); one job at a time per account.
//
// Threads: every member function runs on the thread of `io`; only the lease renewal has a
// thread of its own, and it posts lost leases back to `io`.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "app/action_runner.hpp"
#include "schedule/job_events.hpp"
#include "schedule/job_queue.hpp"
#include "schedule/lease_keeper.hpp"
#include "schedule/schedule_store.hpp"

namespace automuse::app {

class JobWorker {
 public:
  JobWorker(HostContext &ctx, schedule::ScheduleStore &runs, boost::asio::io_context &io,
            size_t slots);
  ~JobWorker();

  // Claims jobs while slots are free (or until `limit` claims, when given); returns how many.
  // A store that cannot be reached is logged (once per outage), not thrown.
  int take_jobs(std::optional<int> limit = std::nullopt);
  // Looks for jobs every queue.poll_seconds, and after each job ends, until stop_taking.
  void poll();

  // Shutdown, first step: no new jobs or retries; a retry still waiting goes back to the
  // queue. Running jobs go on.
  void stop_taking();
  // Shutdown, second step: cancel the running jobs (they go back to the queue, or stay
  // interrupted for the next identical run by hand).
  void cancel();

  bool idle() const { return held_.empty(); }
  int failures() const { return failures_; }
  int interrupted() const { return interrupted_; }
  int resumed() const { return resumed_; }
  const schedule::LeaseTimes &times() const { return times_; }

 private:
  struct Held;  // a claimed job: what to run, and its attempt so far
  void start(schedule::Claim claim);
  void attempt(std::shared_ptr<Held> h, int n, std::optional<std::string> queued);
  // Which step of the approval gate this attempt runs (schedule/approval.hpp): sets the
  // request's action and options for the making or publishing step of a job that needs
  // approval. Throws std::runtime_error when the job asks for approval its action cannot give.
  void approval_step(Held &h, ActionRequest &r);
  // The making step succeeded: the job waits for approval with what it made.
  void await_approval(const std::shared_ptr<Held> &h, const std::string &result_json);
  void retry_later(std::shared_ptr<Held> h, int n, const std::string &why);
  void end(const std::shared_ptr<Held> &h, const std::string &state,
           const std::optional<std::string> &error);
  void lost(const std::string &job_id);
  // Cancels the held jobs that another process asked to cancel (JobQueue::request_cancel).
  void cancel_requested();
  // A state event of the job for its watchers (schedule/job_events.hpp); never throws.
  void state_event(const std::string &job_id, const std::string &state,
                   const std::optional<std::string> &note = std::nullopt);

  HostContext &ctx_;
  schedule::ScheduleStore &runs_;
  schedule::JobQueue queue_;
  boost::asio::io_context &io_;
  const size_t slots_;
  const schedule::LeaseTimes times_;
  int64_t retry_base_ms_ = 60000;
  int max_attempts_ = 3;
  bool taking_ = true;
  bool store_failing_ = false;  // the last poll could not reach the store
  int failures_ = 0;
  int interrupted_ = 0;
  int resumed_ = 0;
  std::map<std::string, std::shared_ptr<Held>> held_;  // by job id
  std::map<std::string, std::shared_ptr<boost::asio::steady_timer>> retries_;
  std::set<std::string> cancelling_;  // held jobs cancelled on request, not yet ended
  std::shared_ptr<schedule::JobEvents> events_;
  boost::asio::steady_timer poll_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posts from the keeper
  schedule::LeaseKeeper keeper_;
  // Last: destroyed first, its jobs' completions still find everything above.
  ActionRunner runner_;
};

// limits.network_jobs (16): the jobs in flight at once, and a worker's default slots.
size_t network_jobs(HostContext &ctx);

}  // namespace automuse::app
