// automuse/cpp/async.hpp — turn a C asynchronous call that completes through a callback into
// something a coroutine can co_await: the awaiter shape every service wrapper shares, and
// await_done for calls that complete through an am_done_fn.
#pragma once

#include <automuse/job.h>

#include <automuse/cpp/error.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>
#include <coroutine>
#include <string>
#include <utility>

namespace am {

// What a simple operation ended with.
struct done_result {
  am_status status = AM_OK;
  std::string error;
};

namespace detail {

// The coroutine suspends, Derived::start() makes the C call with a completion callback and
// `this` as its user pointer, and the completion resumes the coroutine. Everything the C call
// borrows lives in Derived, which lives in the suspended coroutine's frame. The host copies
// what it borrows before the call returns and completes exactly once, never before returning;
// start() touches nothing of *this after the call, as the completion may already be on its way.
template <class Derived>
class callback_awaiter {
 public:
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting_ = h;
    static_cast<Derived *>(this)->start();
  }

 protected:
  // The awaiter behind a callback's `user` pointer.
  static Derived &from(void *user) noexcept { return *static_cast<Derived *>(user); }
  // The completion's last step: on the job's executor, where the host delivers completions.
  void resume() const { waiting_.resume(); }

 private:
  std::coroutine_handle<> waiting_;
};

// A per-job service call that takes an owned request and completes with a value: Derived adds
// start() and a completion that fills result_ and then calls resume().
template <class Derived, class Service, class Request, class Result>
class request_awaiter : public callback_awaiter<Derived> {
 public:
  request_awaiter(const Service *svc, am_job *job, Request req)
      : svc_(svc), job_(job), req_(std::move(req)) {}
  Result await_resume() { return std::move(result_); }

 protected:
  const Service *svc_;
  am_job *job_;
  Request req_;
  Result result_{};
};

// Records a completion's status and message. Called from C callbacks, so nothing may throw.
inline void record(done_result &r, am_status status, am_str message) noexcept {
  r.status = status;
  try {
    r.error = to_string(message);
  } catch (...) {  // out of memory copying the message: keep the status
  }
}

// A task around one awaiter, so the call can also run alongside others with am::when_all.
// The awaiter is a named local, not a temporary in the co_await expression: that sidesteps
// g++ 12 bugs with temporaries that own memory across a suspension point. The arguments are
// copies in the task's frame, so the handle that started it may be a temporary.
template <class Awaiter, class... Args>
auto as_task(Args... args) -> task<decltype(std::declval<Awaiter &>().await_resume())> {
  Awaiter awaiter(std::move(args)...);
  co_return co_await awaiter;
}

template <class Start>
class done_awaiter : public callback_awaiter<done_awaiter<Start>> {
 public:
  explicit done_awaiter(Start start) : start_(std::move(start)) {}
  done_result await_resume() noexcept { return std::move(result_); }

 private:
  friend callback_awaiter<done_awaiter>;
  void start() { start_(&done_awaiter::on_done, static_cast<void *>(this)); }
  static void on_done(void *user, am_status status, am_str error) noexcept {
    done_awaiter &self = done_awaiter::from(user);
    record(self.result_, status, error);
    self.resume();
  }

  Start start_;
  done_result result_;
};

}  // namespace detail

// co_await await_done([&](am_done_fn fn, void *user) { return svc.sleep(job, 10, fn, user); })
// resumes with the done_result when the callback fires.
template <class Start>
auto await_done(Start start) {
  return detail::done_awaiter<Start>(std::move(start));
}

// Throws am::error unless the result is AM_OK.
inline void check(const done_result &r) {
  if (r.status != AM_OK)
    throw error(r.status, r.error.empty() ? std::string(am_status_name(r.status)) : r.error);
}

}  // namespace am
