// tests/sdk/cancel_test.cpp — cancellation through the coroutine layer: one operation, the
// whole job, and exactly-once completion when cancels race with completions.
#include <thread>

#include "sdk_fixture.hpp"

namespace automuse::test {
namespace {

using namespace std::chrono_literals;

class CancelTest : public SdkTest {};

TEST_F(CancelTest, CancellingOneOperationFailsItsAwaiterWithCancelledOnce) {
  auto job = make_job();
  int caught = 0;
  am_op_id long_op = 0;
  auto waiter = [&]() -> am::task<int> {
    try {
      co_await tick(timer(), job.get(), 600'000, AM_OK, &long_op);  // ten minutes
    } catch (const am::error &e) {
      ++caught;
      co_return e.status();
    }
    co_return -1;
  };
  auto canceller = [&]() -> am::task<void> {
    co_await tick(timer(), job.get(), 5);
    EXPECT_NE(long_op, 0u);
    timer().cancel(&timer(), job.get(), long_op);
    timer().cancel(&timer(), job.get(), long_op);  // again: a no-op
  };
  auto body = [&]() -> am::task<int> {
    auto [status, none] = co_await am::when_all(waiter(), canceller());
    (void)none;
    co_return status;
  };
  EXPECT_EQ(run_value(job, body()), AM_CANCELLED);
  EXPECT_EQ(caught, 1);
  EXPECT_FALSE(job->cancelled());  // only the op was cancelled, not the job
  job->wait_idle();
  EXPECT_EQ(timers_.delivered_cancelled(), 1u);
  EXPECT_EQ(timers_.delivered_ok(), 1u);
  EXPECT_EQ(job->pending(), 0u);
}

TEST_F(CancelTest, CancellingTheJobFailsEveryPendingOperationOnceAndEndsTheTask) {
  auto job = make_job();
  auto j = cpp_job(job);
  std::atomic<int> started{0};
  int cancelled_children = 0;
  auto child = [&](int kind) -> am::task<void> {
    try {
      ++started;
      if (kind == 0) co_await tick(timer(), job.get(), 600'000);
      if (kind == 1) co_await j.sleep(600s);
      if (kind == 2) co_await tick(timer(), job.get(), 600'000);
    } catch (const am::error &e) {
      if (e.status() == AM_CANCELLED) ++cancelled_children;
      throw;
    }
  };
  auto body = [&]() -> am::task<void> { co_await am::when_all(child(0), child(1), child(2)); };
  std::thread canceller([&] {
    while (started.load() < 3) std::this_thread::yield();
    std::this_thread::sleep_for(5ms);  // let the children suspend
    job->cancel();
  });
  auto o = run(job, body());
  canceller.join();
  EXPECT_EQ(status_of(o), AM_CANCELLED);
  EXPECT_EQ(cancelled_children, 3);
  EXPECT_TRUE(job->cancelled());
  EXPECT_TRUE(j.cancelled());
  job->wait_idle();
  EXPECT_EQ(timers_.delivered_cancelled(), 2u);
  EXPECT_EQ(done_calls_.load(), 1);
}

TEST_F(CancelTest, OperationsStartedOnACancelledJobCompleteCancelledNeverInline) {
  auto job = make_job();
  job->cancel();
  auto j = cpp_job(job);
  int cancelled = 0;
  auto body = [&]() -> am::task<int> {
    for (int i = 0; i < 3; ++i) {
      try {
        if (i == 0) co_await tick(timer(), job.get(), 0);
        if (i == 1) co_await j.sleep(0ms);
        if (i == 2) co_await j.on_worker([] { return 1; });
      } catch (const am::error &e) {
        if (e.status() == AM_CANCELLED) ++cancelled;
      }
    }
    j.throw_if_cancelled();
    co_return cancelled;
  };
  auto o = run(job, body());
  EXPECT_EQ(status_of(o), AM_CANCELLED);  // from throw_if_cancelled
  EXPECT_EQ(cancelled, 3);
  job->wait_idle();
  EXPECT_EQ(timers_.delivered_cancelled(), 1u);
  EXPECT_EQ(timers_.delivered_ok(), 0u);
}

// Raw C API under a race: many ops whose deadlines fall now, each cancelled from another
// thread at about the same moment. Every op's callback runs exactly once, with OK or
// CANCELLED, and callbacks of the job never overlap.
TEST_F(CancelTest, EveryOperationCompletesExactlyOnceWhenCancelsRaceCompletions) {
  constexpr int kOps = 3000;
  auto job = make_job();
  struct Counter {
    std::atomic<int> calls{0};
    std::atomic<int> status{-1};
  };
  std::vector<Counter> counters(kOps);
  std::atomic<int> inside{0}, overlaps{0};
  struct Ctx {
    Counter *counter;
    std::atomic<int> *inside, *overlaps;
  };
  std::vector<Ctx> ctx(kOps);
  std::vector<am_op_id> ids(kOps);
  am_done_fn fn = [](void *user, am_status status, am_str) {
    auto *c = static_cast<Ctx *>(user);
    if (c->inside->fetch_add(1) != 0) ++*c->overlaps;
    c->counter->status = status;
    ++c->counter->calls;
    c->inside->fetch_sub(1);
  };
  std::atomic<int> published{0};
  std::thread canceller([&] {
    for (int i = 0; i < kOps; ++i) {
      while (published.load(std::memory_order_acquire) <= i) std::this_thread::yield();
      if (i % 3 != 2) timer().cancel(&timer(), job.get(), ids[i]);
    }
  });
  for (int i = 0; i < kOps; ++i) {
    ctx[i] = Ctx{&counters[i], &inside, &overlaps};
    ids[i] = timer().start(&timer(), job.get(), i % 2, AM_OK, fn, &ctx[i]);
    published.store(i + 1, std::memory_order_release);
  }
  canceller.join();
  job->wait_idle();
  int ok = 0, cancelled = 0;
  for (int i = 0; i < kOps; ++i) {
    ASSERT_EQ(counters[i].calls.load(), 1) << "op " << i;
    if (counters[i].status == AM_OK) ++ok;
    if (counters[i].status == AM_CANCELLED) ++cancelled;
  }
  EXPECT_EQ(ok + cancelled, kOps);
  EXPECT_GE(ok, kOps / 3);  // the uncancelled third at least
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(timers_.delivered_ok(), static_cast<size_t>(ok));
  EXPECT_EQ(timers_.delivered_cancelled(), static_cast<size_t>(cancelled));
  EXPECT_EQ(job->pending(), 0u);
  // Ids are unique and never 0.
  std::sort(ids.begin(), ids.end());
  EXPECT_NE(ids.front(), 0u);
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

// The same race through coroutines: a when_all of many ops while another thread cancels the
// whole job; each child reports exactly one outcome and the parent resumes exactly once.
TEST_F(CancelTest, WhenAllUnderJobCancelRaceResumesOnceWithEveryChildAccountedFor) {
  for (int round = 0; round < 10; ++round) {
    auto job = make_job();
    int outcomes = 0;
    std::atomic<int> started{0};
    auto child = [&](int i) -> am::task<int> {
      ++started;
      try {
        co_await tick(timer(), job.get(), i % 3);
      } catch (const am::error &e) {
        ++outcomes;
        co_return e.status();
      }
      ++outcomes;
      co_return AM_OK;
    };
    auto body = [&]() -> am::task<std::vector<int>> {
      std::vector<am::task<int>> v;
      for (int i = 0; i < 200; ++i) v.push_back(child(i));
      co_return co_await am::when_all(std::move(v));
    };
    std::thread canceller([&] {
      while (started.load() < 100 + round * 10) std::this_thread::yield();
      job->cancel();
    });
    done_calls_ = 0;
    auto statuses = run_value(job, body());
    canceller.join();
    job->wait_idle();
    EXPECT_EQ(outcomes, 200);
    EXPECT_EQ(done_calls_.load(), 1);
    for (int s : statuses) EXPECT_TRUE(s == AM_OK || s == AM_CANCELLED) << s;
  }
}

}  // namespace
}  // namespace automuse::test
