// automuse/cpp/task.hpp — a lazy coroutine task, `when_all` to run several concurrently,
// and `spawn` to start a task from plain code and be told when it ends.
//
// A task starts when it is awaited and resumes its awaiter when it finishes. A task that
// finishes without suspending hands control back by returning, not by resuming its awaiter,
// so a loop of many such awaits does not grow the stack in any build (symmetric transfer
// would, in -O0 and sanitizer builds where g++ emits no tail calls). Tasks of one job all run on
// that job's executor: they interleave at co_await points but never run at the same time, so they
// share state without locks. when_all starts every child before waiting, so independent
// steps overlap their waiting, the way asyncio.gather does:
//
//   auto [meta, images] = co_await am::when_all(write_metadata(job), make_images(job));
#pragma once

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace am {

template <class T = void>
class task;

namespace detail {

struct promise_base {
  std::coroutine_handle<> continuation = std::noop_coroutine();
  std::exception_ptr exception;
  // Raced for by the awaiter returning from starting the task and by the task finishing:
  // whichever comes second continues the awaiter (see task::operator co_await).
  std::atomic<bool> handoff{false};

  struct final_awaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) noexcept {
      // Second: the awaiter has suspended, resume it. First: the awaiter is still starting us
      // on this very stack and will carry on by itself when h.resume() returns to it.
      // Nothing of this frame is touched after resume(): the awaiter may destroy it.
      auto &p = h.promise();
      if (p.handoff.exchange(true, std::memory_order_acq_rel)) p.continuation.resume();
    }
    void await_resume() noexcept {}
  };

  std::suspend_always initial_suspend() noexcept { return {}; }
  final_awaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <class T>
struct promise : promise_base {
  std::optional<T> value;
  task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U &&v) {
    value.emplace(std::forward<U>(v));
  }
  T take() {
    if (exception) std::rethrow_exception(exception);
    return std::move(*value);
  }
};

template <>
struct promise<void> : promise_base {
  task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (exception) std::rethrow_exception(exception);
  }
};

// A coroutine that starts at once and frees itself when done: the root of a spawned task and
// the wrapper around each when_all child.
struct detached {
  struct promise_type {
    detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }  // wrappers catch everything
  };
};

// void results are stored as std::monostate so that when_all can return a tuple.
template <class T>
using stored_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

}  // namespace detail

template <class T>
class [[nodiscard]] task {
 public:
  using promise_type = detail::promise<T>;
  using value_type = T;

  task() noexcept = default;
  explicit task(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  task(task &&o) noexcept : h_(std::exchange(o.h_, {})) {}
  task &operator=(task &&o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  task(const task &) = delete;
  task &operator=(const task &) = delete;
  ~task() {
    if (h_) h_.destroy();
  }

  bool valid() const noexcept { return static_cast<bool>(h_); }

  auto operator co_await() &&noexcept {
    struct awaiter {
      std::coroutine_handle<promise_type> h;
      bool await_ready() noexcept { return !h || h.done(); }
      bool await_suspend(std::coroutine_handle<> awaiting) noexcept {
        h.promise().continuation = awaiting;
        h.resume();  // runs until the task's first suspension or its end
        // Suspend unless the task already finished; the frame stays alive until ~task.
        return !h.promise().handoff.exchange(true, std::memory_order_acq_rel);
      }
      T await_resume() { return h.promise().take(); }
    };
    return awaiter{h_};
  }

 private:
  std::coroutine_handle<promise_type> h_;
};

namespace detail {
template <class T>
task<T> promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<promise<T>>::from_promise(*this));
}
inline task<void> promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<promise<void>>::from_promise(*this));
}
}  // namespace detail

// The end of a task: its value, or the exception it ended with.
template <class T>
struct outcome {
  std::optional<detail::stored_t<T>> value;
  std::exception_ptr exception;
  bool ok() const noexcept { return !exception; }
};

namespace detail {

// Runs `t` to its end and keeps how it ended in `out`; never throws.
template <class T>
task<> settle(task<T> t, outcome<T> &out) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(t);
      out.value.emplace();
    } else {
      out.value.emplace(co_await std::move(t));
    }
  } catch (...) {
    out.exception = std::current_exception();
  }
}

}  // namespace detail

// Start `t` now, on the calling thread, and call on_done(outcome<T>&&) exactly once when it
// ends, on whichever thread resumed it last. on_done must not throw.
template <class T, class F>
void spawn(task<T> t, F on_done) {
  [](task<T> t, F on_done) -> detail::detached {
    outcome<T> result;
    co_await detail::settle(std::move(t), result);
    on_done(std::move(result));
  }(std::move(t), std::move(on_done));
}

namespace detail {

// Shared by the children of one when_all: the count of unfinished children plus one for the
// parent's own start-up, so a child finishing before the parent suspends does not resume it.
struct join_state {
  std::atomic<std::size_t> remaining;
  std::coroutine_handle<> parent;
  explicit join_state(std::size_t children) : remaining(children + 1) {}
  void child_done() {
    if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) parent.resume();
  }
  // Returns true if the parent must suspend (some child still running).
  bool parent_started() { return remaining.fetch_sub(1, std::memory_order_acq_rel) != 1; }
};

template <class T>
detached run_child(task<T> t, outcome<T> &slot, join_state &join) {
  co_await settle(std::move(t), slot);
  join.child_done();
}

template <class Start>
struct join_awaiter {
  join_state &join;
  Start start;
  bool await_ready() noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> parent) {
    join.parent = parent;
    start();
    return join.parent_started();
  }
  void await_resume() noexcept {}
};

}  // namespace detail

// Run every task concurrently and wait for all of them. Returns a tuple of their values
// (std::monostate for void tasks). If any threw, all are still awaited to the end, then the
// first exception in argument order is rethrown.
template <class... Ts>
task<std::tuple<detail::stored_t<Ts>...>> when_all(task<Ts>... tasks) {
  std::tuple<outcome<Ts>...> outcomes;
  detail::join_state join(sizeof...(Ts));
  auto start = [&] {
    std::apply(
        [&](auto &...slot) {
          auto children = std::forward_as_tuple(std::move(tasks)...);
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            (detail::run_child(std::move(std::get<I>(children)), slot, join), ...);
          }
          (std::index_sequence_for<Ts...>{});
        },
        outcomes);
  };
  co_await detail::join_awaiter<decltype(start)>{join, start};
  std::apply(
      [](auto &...o) {
        (
            [&] {
              if (o.exception) std::rethrow_exception(o.exception);
            }(),
            ...);
      },
      outcomes);
  co_return std::apply([](auto &...o) { return std::make_tuple(std::move(*o.value)...); },
                       outcomes);
}

// Run a dynamic number of tasks of one type concurrently; values in input order.
template <class T>
task<std::vector<detail::stored_t<T>>> when_all(std::vector<task<T>> tasks) {
  std::vector<outcome<T>> outcomes(tasks.size());
  detail::join_state join(tasks.size());
  auto start = [&] {
    for (std::size_t i = 0; i < tasks.size(); ++i)
      detail::run_child(std::move(tasks[i]), outcomes[i], join);
  };
  co_await detail::join_awaiter<decltype(start)>{join, start};
  std::vector<detail::stored_t<T>> values;
  values.reserve(outcomes.size());
  for (auto &o : outcomes)
    if (o.exception) std::rethrow_exception(o.exception);
  for (auto &o : outcomes) values.push_back(std::move(*o.value));
  co_return values;
}

}  // namespace am
