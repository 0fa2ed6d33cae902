// host/core/job_service.cpp — the implementation of "automuse.job/1" on Asio.
#include "core/job_service.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "core/job.hpp"
#include "core/job_observer.hpp"

namespace automuse::core {
namespace {

constexpr am_str kCancelled{"cancelled", 9};
constexpr am_str kEmpty{"", 0};

void post(am_job *job, am_work_fn fn, void *user) {
  job->post([fn, user] { fn(user); });
}

bool is_cancelled(am_job *job) {
  return job->cancelled();
}

void cancel_job(am_job *job) {
  job->cancel();
}

am_op_id run_on_worker(am_job *job, am_work_fn work, am_done_fn done, void *user) {
  enum : int { kQueued, kRunning, kDropped };
  auto self = job->shared_from_this();
  auto state = std::make_shared<std::atomic<int>>(kQueued);
  am_op_id id = job->add_op([self, state, done, user](am_op_id id) {
    // Work that has started is not interrupted; queued work is dropped.
    int expected = kQueued;
    if (state->compare_exchange_strong(expected, kDropped))
      self->complete_op(id, [done, user] { done(user, AM_CANCELLED, kCancelled); });
  });
  boost::asio::post(job->workers(), [self, id, work, done, user, state] {
    int expected = kQueued;
    if (self->cancelled()) {
      // Cancelled before the work started (possibly before run_on_worker was called, when
      // the cancel hook is only posted to the strand): the work must not run.
      if (state->compare_exchange_strong(expected, kDropped))
        self->complete_op(id, [done, user] { done(user, AM_CANCELLED, kCancelled); });
      return;
    }
    if (!state->compare_exchange_strong(expected, kRunning)) return;
    {
      auto module = self->keep_alive();  // plugin code runs here, off the strand
      CurrentJobScope current(self.get());
      work(user);
    }
    self->complete_op(id, [done, user] { done(user, AM_OK, kEmpty); });
  });
  return id;
}

am_op_id sleep(am_job *job, uint64_t milliseconds, am_done_fn done, void *user) {
  auto self = job->shared_from_this();
  auto timer = std::make_shared<boost::asio::steady_timer>(job->executor(),
                                                           std::chrono::milliseconds(milliseconds));
  am_op_id id = job->add_op([self, timer, done, user](am_op_id id) {
    // Complete now; the timer's own handler then finds the op gone.
    self->complete_op(id, [done, user] { done(user, AM_CANCELLED, kCancelled); });
    boost::asio::post(self->executor(), [timer] { timer->cancel(); });
  });
  timer->async_wait([self, timer, id, done, user](const boost::system::error_code &) {
    self->complete_op(id, [done, user] { done(user, AM_OK, kEmpty); });
  });
  return id;
}

void cancel(am_job *job, am_op_id op) {
  job->cancel_op(op);
}

constexpr am_job_service kTable = {
    sizeof(am_job_service), post, is_cancelled, cancel_job, run_on_worker, sleep, cancel,
};

}  // namespace

const am_job_service *job_service() {
  return &kTable;
}

}  // namespace automuse::core
