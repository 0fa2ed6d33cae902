// tests/sdk/sdk_fixture.hpp — a real host core for the coroutine tests: a Runtime with two
// I/O threads and a worker pool, a service registry holding the real "automuse.job/1" and
// the test-only "test.timer/1", a plugin context (am_host) and helpers to run a task on a
// job's executor and wait for its end.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <automuse/automuse.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <vector>

#include "core/job.hpp"
#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "test_timer.h"
#include "timer_service.hpp"

namespace automuse::test {

// A task that completes after `ms` through test.timer/1 with `status` (throwing am::error
// unless AM_OK). If id_out is given it receives the op's id as soon as it is started.
inline am::task<void> tick(const test_timer &t, am_job *job, uint64_t ms, am_status status = AM_OK,
                           am_op_id *id_out = nullptr) {
  auto r = co_await am::await_done([&](am_done_fn fn, void *user) {
    am_op_id id = t.start(&t, job, ms, status, fn, user);
    if (id_out) *id_out = id;
    return id;
  });
  am::check(r);
}

class SdkTest : public ::testing::Test {
 protected:
  SdkTest() : runtime_(2, 2) {
    registry_.add(AM_JOB_SERVICE_ID, core::job_service());
    registry_.add(TEST_TIMER_SERVICE_ID, timers_.table());
    context_ = core::make_plugin_context("sdk-test", registry_, runtime_);
  }

  // Every job is cancelled and drained before the services and threads go away.
  ~SdkTest() override {
    for (auto &j : jobs_) {
      j->cancel();
      j->wait_idle();
    }
  }

  std::shared_ptr<am_job> make_job(const char *name = "test") {
    jobs_.push_back(runtime_.make_job(name));
    return jobs_.back();
  }
  const am_host *host() const { return &context_->host; }
  am::job cpp_job(const std::shared_ptr<am_job> &j) const {
    return am::job(am::host(host()), j.get());
  }
  const test_timer &timer() const { return *timers_.table(); }

  // Spawn `t` on the job's executor and wait for its outcome. Counts on_done calls in
  // done_calls_ (the spawn contract is exactly one). Aborts if it takes longer than 30 s,
  // since the task still refers to this frame.
  template <class T>
  am::outcome<T> run(const std::shared_ptr<am_job> &job, am::task<T> t) {
    // Shared with the callback, so that a (wrong) second call would be counted, not crash.
    auto promise = std::make_shared<std::promise<am::outcome<T>>>();
    auto calls = std::make_shared<std::atomic<int>>(0);
    auto future = promise->get_future();
    job->post([&t, promise, calls, this] {
      am::spawn(std::move(t), [promise, calls, this](am::outcome<T> &&o) noexcept {
        ++done_calls_;
        if (calls->fetch_add(1) == 0) promise->set_value(std::move(o));
      });
    });
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      std::fprintf(stderr, "task did not finish in 30 s\n");
      std::abort();
    }
    return future.get();
  }

  // run(), then the value, rethrowing the task's exception.
  template <class T>
  T run_value(const std::shared_ptr<am_job> &job, am::task<T> t) {
    auto o = run(job, std::move(t));
    if (o.exception) std::rethrow_exception(o.exception);
    if constexpr (!std::is_void_v<T>) return std::move(*o.value);
  }

  // The status of the exception a task ended with (AM_OK if none).
  template <class T>
  static am_status status_of(const am::outcome<T> &o) {
    if (!o.exception) return AM_OK;
    try {
      std::rethrow_exception(o.exception);
    } catch (...) {
      return am::current_exception_status().first;
    }
  }

  core::Runtime runtime_;
  TimerService timers_;
  core::ServiceRegistry registry_;
  std::unique_ptr<core::PluginContext> context_;
  std::vector<std::shared_ptr<am_job>> jobs_;
  std::atomic<int> done_calls_{0};
};

}  // namespace automuse::test
