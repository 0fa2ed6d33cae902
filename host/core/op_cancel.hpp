// host/core/op_cancel.hpp — the cancel state of one operation in flight: whether it was
// cancelled, and how to abort the provider call running for it now.
#pragma once

#include <functional>
#include <mutex>

namespace automuse::core {

// Shared between the operation's steps and its cancel hook, which may run on other threads.
// A provider's abort function often holds the provider call, which holds the callback that
// leads back here: ended() drops it, so that a finished operation (and the job it holds) is
// freed rather than kept alive by that cycle.
class OpCancel {
 public:
  // Keeps how to abort the call now running; when already cancelled, aborts it at once; when
  // the operation has ended (its callback may run before the call returns), drops it.
  void set_abort(std::function<void()> fn) {
    std::unique_lock lock(mutex_);
    if (cancelled_) {
      lock.unlock();
      if (fn) fn();
    } else if (!ended_) {
      std::swap(abort_, fn);
    }
  }  // a replaced or dropped function is destroyed here, after the lock
  // The operation has its result: nothing is left to abort.
  void ended() {
    std::function<void()> fn;
    std::lock_guard lock(mutex_);
    ended_ = true;
    std::swap(abort_, fn);
  }
  // Marks the operation cancelled and aborts the call running, outside the lock.
  void cancel() {
    std::function<void()> fn;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      fn = std::move(abort_);
    }
    if (fn) fn();
  }
  bool is_cancelled() {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

 private:
  std::mutex mutex_;
  std::function<void()> abort_;
  bool cancelled_ = false;
  bool ended_ = false;
};

}  // namespace automuse::core
