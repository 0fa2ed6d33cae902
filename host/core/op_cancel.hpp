// host/core/op_cancel.hpp — the cancel state of one operation in flight: whether it was
// cancelled, and how to abort the provider call running for it now.
#pragma once

#include <functional>
#include <mutex>

namespace automuse::core {

// Shared between the operation's steps and its cancel hook, which may run on other threads.
class OpCancel {
 public:
  // Keeps how to abort the call now running; when already cancelled, aborts it at once.
  void set_abort(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
      if (fn) fn();
    } else {
      abort_ = std::move(fn);
    }
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
};

}  // namespace automuse::core
