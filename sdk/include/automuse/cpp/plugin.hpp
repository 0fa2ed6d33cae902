// automuse/cpp/plugin.hpp — implement a plugin's start_action with a coroutine. The
// coroutine's value becomes the action's result JSON; an exception becomes its status and
// message; the done callback is called exactly once either way.
#pragma once

#include <automuse/plugin.h>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>

#include <string>
#include <type_traits>
#include <utility>

namespace am {

// What an action was asked to do; owned copies of the borrowed call fields.
struct action_request {
  std::string action;
  std::string args_json;
  // The call itself, valid until the action completes (the coroutine ends): for am::args
  // (automuse/cpp/args.hpp), which reads options and fields without parsing args_json.
  const am_action_call *call = nullptr;
};

namespace detail {

// The root of an action's coroutine. Its frame owns the body (a lambda's captures), the job
// handle and the request until the body's task has ended, so the body may take them by
// reference and may be a capturing lambda: start_coroutine_action returns long before that.
template <class Body>
task<std::string> run_action_body(Body body, job j, action_request request) {
  co_return co_await body(j, std::move(request));
}

}  // namespace detail

// Start body(job, request) -> task<std::string> for `call`. Returns what start_action should
// return: AM_OK once the coroutine is running (done will follow), or an error status if it
// could not even start (done is then not called, as plugin.h requires).
template <class Body>
am_status start_coroutine_action(const am_host *h, const am_action_call *call,
                                 Body &&body) noexcept {
  try {
    job j(host(h), call->job);
    action_request request{to_string(call->action), to_string(call->args_json), call};
    auto done = call->done;
    auto done_user = call->done_user;
    task<std::string> t = detail::run_action_body(std::decay_t<Body>(std::forward<Body>(body)), j,
                                                  std::move(request));
    spawn(std::move(t), [done, done_user](outcome<std::string> &&o) noexcept {
      if (o.ok()) {
        done(done_user, AM_OK, to_am_str(*o.value), am_str{"", 0});
        return;
      }
      std::pair<am_status, std::string> failure{AM_INTERNAL, "unknown failure"};
      try {
        std::rethrow_exception(o.exception);
      } catch (...) {
        failure = current_exception_status();
      }
      done(done_user, failure.first, am_str{"null", 4}, to_am_str(failure.second));
    });
    return AM_OK;
  } catch (...) {
    return current_exception_status().first;
  }
}

}  // namespace am
