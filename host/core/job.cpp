// host/core/job.cpp — pending-operation bookkeeping and cancellation for one job.
#include "core/job.hpp"

#include <boost/asio/post.hpp>
#include <cstdio>
#include <random>
#include <vector>

#include "core/job_observer.hpp"

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
      keep_alive_(std::move(keep_alive)),
      strand_(boost::asio::make_strand(io)),
      workers_(workers) {
  run_info_.job_id = unique_run_id();
}

void am_job::post(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    ++running_;
  }
  // The job itself is kept alive until the function ran.
  boost::asio::post(strand_,
                    [self = shared_from_this(), fn = std::move(fn)] { self->run_counted(fn); });
}

void am_job::run_counted(const std::function<void()> &fn) {
  std::shared_ptr<const void> module = keep_alive();
  {
    automuse::core::CurrentJobScope current(this);  // log lines written now are this job's
    fn();
  }
  // Our share goes before the count does: whoever waits for pending() == 0 to unload the
  // library is then the last owner, not this (I/O) thread.
  module.reset();
  std::lock_guard lock(mutex_);
  --running_;
  if (ops_.empty() && running_ == 0) idle_.notify_all();
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
    ++running_;  // counted before the op leaves ops_, so pending() never dips to 0 between
  }
  boost::asio::post(strand_, [self = shared_from_this(), deliver = std::move(deliver)] {
    self->run_counted(deliver);
  });
  return true;
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
  return ops_.size() + running_;
}

void am_job::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return ops_.empty() && running_ == 0; });
}

std::shared_ptr<const void> am_job::keep_alive() const {
  std::lock_guard lock(mutex_);
  return keep_alive_;
}

std::shared_ptr<const void> am_job::release_keep_alive() {
  std::lock_guard lock(mutex_);
  return std::move(keep_alive_);
}
