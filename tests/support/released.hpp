// tests/support/released.hpp — whether an object shared between threads is freed once its
// work is done: what proves that finished jobs do not pile up in a long-running host.
#pragma once

#include <chrono>
#include <memory>
#include <thread>

namespace automuse::testing {

// True once nothing owns `weak` any more. The last completion may be delivered a moment before
// the I/O or worker thread that ran it drops its closure (and the share of the object the
// closure held), so this waits for that, up to `limit`; an object kept alive by a reference
// cycle is never freed and makes this false.
template <class T>
bool released(const std::weak_ptr<T> &weak,
              std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!weak.expired()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace automuse::testing
