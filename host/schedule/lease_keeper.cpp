// host/schedule/lease_keeper.cpp — the renewal thread of a worker's leases.
#include "schedule/lease_keeper.hpp"

#include <chrono>
#include <vector>

#include "log/logging.hpp"

namespace automuse::schedule {

LeaseKeeper::LeaseKeeper(store::Location where, std::string owner, LeaseTimes times,
                         std::function<void(const std::string &)> lost)
    : where_(std::move(where)),
      owner_(std::move(owner)),
      times_(times),
      lost_(std::move(lost)),
      thread_([this] { loop(); }) {}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LeaseKeeper::hold(const std::string &job_id) {
  std::lock_guard lock(mutex_);
  held_.insert(job_id);
}

void LeaseKeeper::release(const std::string &job_id) {
  std::lock_guard lock(mutex_);
  held_.erase(job_id);
}

void LeaseKeeper::loop() {
  std::optional<JobQueue> queue;  // its own connection: a connection serves one thread
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(times_.renew_ms),
                         [this] { return stopping_; })) {
    lock.unlock();
    try {
      if (!queue) queue.emplace(where_);
      renew_all(*queue);
    } catch (const std::exception &e) {
      log::write("host", spdlog::level::warn,
                 std::string("worker: renewing leases failed (tried again in ") +
                     std::to_string(times_.renew_ms) + " ms): " + e.what());
    }
    lock.lock();
  }
}

void LeaseKeeper::renew_all(JobQueue &queue) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    ids.assign(held_.begin(), held_.end());
  }
  for (const std::string &id : ids) {
    if (queue.renew(id, owner_, times_.lease_ms)) continue;
    {
      std::lock_guard lock(mutex_);
      if (!held_.erase(id)) continue;  // released meanwhile: it ended here
    }
    log::write("host", spdlog::level::warn,
               "worker: lost the lease of job " + id.substr(0, 8) +
                   " (it lapsed and another worker took the job); stopping work on it");
    lost_(id);
  }
}

}  // namespace automuse::schedule
