// automuse/cpp/job.hpp — the C++ face of a job: sleep, run CPU-heavy work on the host's
// worker pool, check cancellation, log — all as coroutine-friendly calls.
#pragma once

#include <automuse/job.h>
#include <automuse/cpp/async.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/log.hpp>
#include <automuse/cpp/task.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace am {

// A non-owning handle: the host and one job. Valid until the job's action has completed.
class job {
 public:
  job(host h, am_job *j) : host_(h), job_(j), svc_(&h.service<am_job_service>(AM_JOB_SERVICE_ID)) {}

  am_job *get() const noexcept { return job_; }
  const host &host_ref() const noexcept { return host_; }
  logger log() const noexcept { return logger(host_); }

  bool cancelled() const noexcept { return svc_->is_cancelled(job_); }
  void cancel() const noexcept { svc_->cancel_job(job_); }
  // Throws am::error(AM_CANCELLED) if the job was cancelled: call between steps.
  void throw_if_cancelled() const {
    if (cancelled()) throw error(AM_CANCELLED, "cancelled");
  }

  // Resume after `delay` on the job's executor; throws am::error(AM_CANCELLED) if cancelled.
  task<void> sleep(std::chrono::milliseconds delay) const {
    auto r = co_await await_done([&](am_done_fn fn, void *user) {
      return svc_->sleep(job_, static_cast<uint64_t>(delay.count() > 0 ? delay.count() : 0), fn,
                         user);
    });
    check(r);
  }

  // Run f() on the host's worker pool and resume with its value (or its exception) back on
  // the job's executor. f must not touch state other tasks of the job use meanwhile.
  template <class F>
  task<std::invoke_result_t<F>> on_worker(F f) const {
    using R = std::invoke_result_t<F>;
    struct state {
      F f;
      std::optional<detail::stored_t<R>> value;
      std::exception_ptr exception;
    } st{std::move(f), {}, {}};
    auto r = co_await await_done([&](am_done_fn fn, void *user) {
      // Both callbacks share one user pointer: run the work through a small trampoline
      // struct that knows the awaiter's and the state's addresses.
      struct trampoline {
        state *st;
        am_done_fn fn;
        void *user;
      };
      auto *t = new trampoline{&st, fn, user};
      return svc_->run_on_worker(
          job_,
          [](void *p) {
            auto *t = static_cast<trampoline *>(p);
            try {
              if constexpr (std::is_void_v<R>) {
                t->st->f();
                t->st->value.emplace();
              } else {
                t->st->value.emplace(t->st->f());
              }
            } catch (...) {
              t->st->exception = std::current_exception();
            }
          },
          [](void *p, am_status s, am_str e) {
            auto *t = static_cast<trampoline *>(p);
            auto fn = t->fn;
            auto user = t->user;
            delete t;
            fn(user, s, e);
          },
          t);
    });
    check(r);
    if (st.exception) std::rethrow_exception(st.exception);
    if constexpr (!std::is_void_v<R>) co_return std::move(*st.value);
  }

 private:
  host host_;
  am_job *job_;
  const am_job_service *svc_;
};

}  // namespace am
