// host/core/job.cpp — pending-operation bookkeeping and cancellation for one job.
#include "core/job.hpp"

#include <boost/asio/post.hpp>
#include <cstdio>
#include <random>
#include <vector>

namespace automuse::core {
am_op_id next_op_id() noexcept {
  static std::atomic<am_op_id> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace automuse::core

namespace {
// 128 random bits: unique across processes and restarts, unlike a counter.
std::string unique_run_id() {
  std::random_device random;
  char buf[40];
  std::snprintf(buf, sizeof buf, "job-%08x%08x%08x%08x", random(), random(), random(), random());
  return buf;
}
}  // namespace

am_job::am_job(boost::asio::io_context &io, boost::asio::thread_pool &workers, std::string name,
               std::shared_ptr<const void> keep_alive)
    : name_(std::move(name)),
      run_id_(unique_run_id()),
      keep_alive_(std::move(keep_alive)),
      strand_(boost::asio::make_strand(io)),
      workers_(workers) {}

void am_job::post(std::function<void()> fn) {
  boost::asio::post(strand_, std::move(fn));
}

am_op_id am_job::add_op(CancelHook on_cancel) {
  am_op_id id = automuse::core::next_op_id();
  bool cancel_now = false;
  {
    std::lock_guard lock(mutex_);
    cancel_now = cancelled();
    ops_.emplace(id, Op{cancel_now ? CancelHook() : on_cancel});
  }
  if (cancel_now && on_cancel) {
    // Through the strand so that the caller's start function returns before any completion.
    boost::asio::post(strand_, [hook = std::move(on_cancel), id] { hook(id); });
  }
  return id;
}

bool am_job::complete_op(am_op_id id, std::function<void()> deliver) {
  {
    std::lock_guard lock(mutex_);
    if (ops_.erase(id) == 0) return false;
    ++delivering_;
  }
  // keep the job alive until the delivery ran
  boost::asio::post(strand_, [self = shared_from_this(), deliver = std::move(deliver)] {
    deliver();
    self->delivered();
  });
  return true;
}

void am_job::delivered() {
  std::lock_guard lock(mutex_);
  --delivering_;
  if (ops_.empty() && delivering_ == 0) idle_.notify_all();
}

void am_job::cancel_op(am_op_id id) {
  CancelHook hook;
  {
    std::lock_guard lock(mutex_);
    auto it = ops_.find(id);
    if (it == ops_.end()) return;
    hook = std::move(it->second.on_cancel);
    it->second.on_cancel = nullptr;
  }
  if (hook) hook(id);
}

void am_job::cancel() {
  std::vector<std::pair<am_op_id, CancelHook>> hooks;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
    for (auto &[id, op] : ops_)
      if (op.on_cancel) hooks.emplace_back(id, std::exchange(op.on_cancel, nullptr));
  }
  for (auto &[id, hook] : hooks) hook(id);
}

size_t am_job::pending() const {
  std::lock_guard lock(mutex_);
  return ops_.size() + delivering_;
}

void am_job::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return ops_.empty() && delivering_ == 0; });
}

std::shared_ptr<const void> am_job::release_keep_alive() {
  std::lock_guard lock(mutex_);
  return std::move(keep_alive_);
}
