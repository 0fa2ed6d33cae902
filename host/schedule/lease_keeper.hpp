// host/schedule/lease_keeper.hpp — renews the leases a worker holds, on a thread of its own (a
// busy main thread or a long render must not let a lease lapse). Every renewal interval it
// extends each held lease; a renewal that fails because the lease is no longer this worker's
// (it lapsed, and another worker took the job) reports the job as lost: the worker stops
// working on it. A renewal the database refuses for a while (locked, unreachable) is logged
// and tried again at the next interval; the lease lasts several intervals.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "schedule/job_queue.hpp"

namespace automuse::schedule {

class LeaseKeeper {
 public:
  // `lost(job_id)` is called on the keeper's thread.
  LeaseKeeper(store::Location where, std::string owner, LeaseTimes times,
              std::function<void(const std::string &)> lost);
  ~LeaseKeeper();  // stops the thread; leases still held lapse unless released by the caller
  LeaseKeeper(const LeaseKeeper &) = delete;
  LeaseKeeper &operator=(const LeaseKeeper &) = delete;

  void hold(const std::string &job_id);
  void release(const std::string &job_id);

 private:
  void loop();
  void renew_all(JobQueue &queue);

  const store::Location where_;
  const std::string owner_;
  const LeaseTimes times_;
  const std::function<void(const std::string &)> lost_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<std::string> held_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace automuse::schedule
