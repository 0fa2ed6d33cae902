// tests/sdk/timer_service.hpp — the implementation of the test-only "test.timer/1" service:
// one thread of its own that fires deadlines and completes ops through am_job::complete_op,
// so every completion is produced on a thread that is neither the caller's nor an I/O thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/job.hpp"
#include "test_timer.h"

namespace automuse::test {

class TimerService {
 public:
  TimerService();
  ~TimerService();
  TimerService(const TimerService &) = delete;
  TimerService &operator=(const TimerService &) = delete;

  const test_timer *table() const noexcept { return &table_; }

  // How many times an op's done callback was invoked, by outcome (counted on delivery).
  std::size_t delivered_ok() const noexcept { return ok_.load(); }
  std::size_t delivered_cancelled() const noexcept { return cancelled_.load(); }
  std::size_t delivered_failed() const noexcept { return failed_.load(); }
  // Makes a pending op fall due now, so that a test can hold ops on long timers and complete
  // them in an order of its choosing. False when the op is not pending (fired or cancelled).
  bool fire(am_op_id op);

  // The thread that fires deadlines (and so calls complete_op for non-cancelled ops).
  std::thread::id thread_id() const noexcept { return thread_.get_id(); }

 private:
  struct Pending {
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<am_job> job;
    am_status status;
    am_done_fn done;
    void *user;
  };

  am_op_id start(am_job *job, uint64_t ms, am_status status, am_done_fn done, void *user);
  void cancel(am_job *job, am_op_id op);
  void deliver(const std::shared_ptr<am_job> &job, am_op_id id, am_status status, am_done_fn done,
               void *user);
  void run();

  test_timer table_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<am_op_id, Pending> pending_;
  bool stopping_ = false;
  std::atomic<std::size_t> ok_{0}, cancelled_{0}, failed_{0};
  std::thread thread_;  // last: starts after everything it uses
};

}  // namespace automuse::test
