// host/core/job.hpp — the host's side of am_job: one run of one plugin action, with its own
// serialised executor (an Asio strand), its cancellation flag and the registry of its pending
// operations, which is what gives every operation exactly one completion.
//
// How a service implements an asynchronous operation on a job:
//   am_op_id id = job->add_op([=](am_op_id id) { /* stop the work */
//                                 job->complete_op(id, [=] { callback(user, AM_CANCELLED...); });
//                                 });
//   ... when the work ends (any thread):
//   job->complete_op(id, [=] { callback(user, status, ...); });   // delivered on the strand
// complete_op delivers at most once per id; a later call for the same id returns false and
// drops its delivery. Cancelling (cancel_op, or cancel() for the whole job) runs the op's
// cancel hook, which must lead to complete_op(id, ...AM_CANCELLED...).
#pragma once

#include <automuse/types.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

struct am_job : std::enable_shared_from_this<am_job> {
 public:
  // Which run of which action this job is, for the publication ledger: set by the action
  // runner before the action starts, read-only afterwards (so any thread may read it).
  struct RunInfo {
    std::string job_id;      // the job_runs job (a resumed run keeps its job's id)
    std::string plugin_id;   // the plugin whose action runs
    std::string account_id;  // the action's account ("" for none)
    bool again = false;      // --again: publish anew what is already published
  };
  using Executor = boost::asio::strand<boost::asio::io_context::executor_type>;

  // `keep_alive` holds whatever must outlive every operation of the job (the plugin's loaded
  // library, for instance); it is released when the job object is destroyed.
  // `workers` is the pool for CPU-heavy work (run_on_worker).
  am_job(boost::asio::io_context &io, boost::asio::thread_pool &workers, std::string name,
         std::shared_ptr<const void> keep_alive);
  am_job(const am_job &) = delete;
  am_job &operator=(const am_job &) = delete;

  const std::string &name() const noexcept { return name_; }
  const RunInfo &run_info() const noexcept { return run_info_; }
  void set_run_info(RunInfo info) { run_info_ = std::move(info); }

  // The run this job does the work of (its RunInfo's job id): what scopes its cached LLM
  // answers, so that a job resuming an interrupted run reuses that run's answers and any other
  // job asks afresh. 128 random bits unless the action runner set the run's job id.
  const std::string &run_id() const noexcept { return run_info_.job_id; }
  void set_run_id(std::string id) { run_info_.job_id = std::move(id); }
  Executor &executor() noexcept { return strand_; }
  boost::asio::thread_pool &workers() noexcept { return workers_; }

  // Run fn on the job's strand (never inline); it counts in pending() until it returns.
  // Any thread.
  void post(std::function<void()> fn);

  // Register a pending operation. `on_cancel(id)` runs at most once, on any thread, if the op
  // or the job is cancelled before it completes; if the job is already cancelled it runs
  // soon, from the strand, never inside add_op. Returns the op's id (never 0).
  using CancelHook = std::function<void(am_op_id)>;
  am_op_id add_op(CancelHook on_cancel);

  // Complete an op: the first call for an id posts `deliver` to the strand and returns true;
  // later calls (and calls for unknown ids) return false and drop `deliver`. Any thread.
  bool complete_op(am_op_id id, std::function<void()> deliver);

  // Cancel one op (its on_cancel hook runs if still pending). No-op for finished ids.
  void cancel_op(am_op_id id);

  // Cancel the job: sets the flag and cancels every pending op. Idempotent. Any thread.
  void cancel();
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }

  // Operations registered and not yet delivered, plus posted functions and deliveries that
  // have not returned yet.
  size_t pending() const;

  // Block the calling thread (never an I/O thread) until nothing is pending(). Used by
  // shutdown to drain.
  void wait_idle();

  // A share of what the job keeps alive, for plugin code run off the strand (the worker
  // pool): drop it before completing the operation that ran the code.
  std::shared_ptr<const void> keep_alive() const;

  // Hand over what the job keeps alive, so that the caller (the host's main thread) decides
  // where it is released: I/O threads may hold the job itself a little longer. Call only
  // after wait_idle() on a job whose action has completed.
  std::shared_ptr<const void> release_keep_alive();

 private:
  struct Op {
    CancelHook on_cancel;
  };
  // Runs one counted function (post, complete_op) with a share of keep_alive_ held around it.
  void run_counted(const std::function<void()> &fn);

  std::string name_;
  RunInfo run_info_;
  std::shared_ptr<const void> keep_alive_;
  Executor strand_;
  boost::asio::thread_pool &workers_;
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::unordered_map<am_op_id, Op> ops_;
  size_t running_ = 0;  // functions queued or running on the strand (post, complete_op)
};

namespace automuse::core {
using Job = am_job;
using JobPtr = std::shared_ptr<am_job>;

// A fresh operation id, unique within the process, never 0.
am_op_id next_op_id() noexcept;
}  // namespace automuse::core
