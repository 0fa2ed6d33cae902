// tests/sdk/timer_service.cpp — the test-only "test.timer/1" service's thread and table.
#include "timer_service.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace automuse::test {

TimerService::TimerService() : thread_([this] { run(); }) {
  table_.struct_size = sizeof(test_timer);
  table_.impl = this;
  table_.start = [](const test_timer *self, am_job *job, uint64_t ms, am_status status,
                    am_done_fn done, void *user) {
    return static_cast<TimerService *>(self->impl)->start(job, ms, status, done, user);
  };
  table_.cancel = [](const test_timer *self, am_job *job, am_op_id op) {
    static_cast<TimerService *>(self->impl)->cancel(job, op);
  };
}

TimerService::~TimerService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

am_op_id TimerService::start(am_job *job, uint64_t ms, am_status status, am_done_fn done,
                             void *user) {
  auto self = job->shared_from_this();
  // The cancel hook completes the op at once (on whatever thread cancels); the deadline's
  // own completion then finds the op gone and is dropped by am_job.
  am_op_id id = job->add_op([this, self, done, user](am_op_id op) {
    {
      std::lock_guard lock(mutex_);
      pending_.erase(op);
    }
    deliver(self, op, AM_CANCELLED, done, user);
  });
  {
    std::lock_guard lock(mutex_);
    pending_.emplace(id, Pending{std::chrono::steady_clock::now() + std::chrono::milliseconds(ms),
                                 self, status, done, user});
  }
  wake_.notify_all();
  return id;
}

void TimerService::cancel(am_job *job, am_op_id op) {
  job->cancel_op(op);
}

bool TimerService::fire(am_op_id op) {
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(op);
    if (it == pending_.end()) return false;
    it->second.deadline = std::chrono::steady_clock::now();
  }
  wake_.notify_all();
  return true;
}

void TimerService::deliver(const std::shared_ptr<am_job> &job, am_op_id id, am_status status,
                           am_done_fn done, void *user) {
  job->complete_op(id, [this, status, done, user] {
    // Count before calling: the callback may resume a coroutine that ends the test.
    if (status == AM_OK)
      ++ok_;
    else if (status == AM_CANCELLED)
      ++cancelled_;
    else
      ++failed_;
    if (status == AM_OK) {
      done(user, AM_OK, am_str{"", 0});
    } else if (status == AM_CANCELLED) {
      done(user, AM_CANCELLED, am_str{"cancelled", 9});
    } else {
      std::string message = std::string("timer failed: ") + am_status_name(status);
      done(user, status, am_str{message.data(), message.size()});
    }
  });
}

void TimerService::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = std::chrono::steady_clock::time_point::max();
    std::vector<std::pair<am_op_id, Pending>> due;
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.deadline <= now) {
        due.emplace_back(it->first, std::move(it->second));
        it = pending_.erase(it);
      } else {
        next = std::min(next, it->second.deadline);
        ++it;
      }
    }
    if (!due.empty()) {
      // In deadline order, also when a busy machine let several fall due at once.
      std::stable_sort(due.begin(), due.end(), [](const auto &a, const auto &b) {
        return a.second.deadline < b.second.deadline;
      });
      lock.unlock();
      // A job cancelled before its op fired gets AM_CANCELLED even if the op's cancel hook
      // (posted to the strand when the op was started on an already-cancelled job) has not
      // run yet: "pending operations of a cancelled job complete with AM_CANCELLED".
      for (auto &[id, p] : due)
        deliver(p.job, id, p.job->cancelled() ? AM_CANCELLED : p.status, p.done, p.user);
      due.clear();
      lock.lock();
      continue;
    }
    if (next == std::chrono::steady_clock::time_point::max())
      wake_.wait(lock);
    else
      wake_.wait_until(lock, next);
  }
  pending_.clear();
}

}  // namespace automuse::test
