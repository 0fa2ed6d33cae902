// automuse/cpp/async.hpp — turn a C asynchronous call that completes through an
// am_done_fn-style callback into something a coroutine can co_await.
#pragma once

#include <automuse/job.h>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/str.hpp>

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

template <class Start>
struct done_awaiter {
  Start start;
  done_result result;
  std::coroutine_handle<> waiting;

  // A C callback: nothing may throw out of it.
  static void on_done(void *user, am_status status, am_str error) noexcept {
    auto *self = static_cast<done_awaiter *>(user);
    self->result.status = status;
    try {
      self->result.error = to_string(error);
    } catch (...) {  // out of memory copying the message: keep the status
    }
    self->waiting.resume();  // exactly once: the host guarantees one completion per op
  }

  bool await_ready() noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting = h;
    // The callback may resume us on another thread as soon as start returns: touch nothing
    // of *this after the call.
    start(&done_awaiter::on_done, static_cast<void *>(this));
  }
  done_result await_resume() noexcept { return std::move(result); }
};

}  // namespace detail

// co_await await_done([&](am_done_fn fn, void *user) { return svc.sleep(job, 10, fn, user); })
// resumes with the done_result when the callback fires.
template <class Start>
auto await_done(Start start) {
  return detail::done_awaiter<Start>{std::move(start), {}, {}};
}

// Throws am::error unless the result is AM_OK.
inline void check(const done_result &r) {
  if (r.status != AM_OK)
    throw error(r.status, r.error.empty() ? std::string(am_status_name(r.status)) : r.error);
}

}  // namespace am
