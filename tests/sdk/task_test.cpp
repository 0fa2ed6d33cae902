// tests/sdk/task_test.cpp — am::task, am::when_all and am::spawn against completions that
// come from the test timer's own thread (delivered on the job's executor), and against raw
// completions from many threads at once.
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sdk_fixture.hpp"

namespace automuse::test {
namespace {

using namespace std::chrono_literals;

class TaskTest : public SdkTest {};

am::task<int> answer_after(const test_timer &t, am_job *job, uint64_t ms, int value) {
  co_await tick(t, job, ms);
  co_return value;
}

am::task<std::string> chained(const test_timer &t, am_job *job, std::vector<std::string> &log) {
  log.push_back("begin");
  int a = co_await answer_after(t, job, 2, 20);
  log.push_back("a=" + std::to_string(a));
  int b = co_await answer_after(t, job, 1, a + 1);
  log.push_back("b=" + std::to_string(b));
  co_return std::to_string(a + b);
}

TEST_F(TaskTest, ChainedTasksPassValuesAndResumeOnTheJobsExecutor) {
  auto job = make_job();
  std::vector<std::string> log;
  EXPECT_EQ(run_value(job, chained(timer(), job.get(), log)), "41");
  EXPECT_EQ(log, (std::vector<std::string>{"begin", "a=20", "b=21"}));
  EXPECT_EQ(timers_.delivered_ok(), 2u);
}

TEST_F(TaskTest, TaskIsLazyUntilAwaited) {
  auto job = make_job();
  bool started = false;
  auto body = [&]() -> am::task<int> {
    started = true;
    co_return 7;
  };
  auto t = body();
  EXPECT_FALSE(started);
  EXPECT_EQ(run_value(job, std::move(t)), 7);
  EXPECT_TRUE(started);
}

am::task<int> one() {
  co_return 1;
}

am::task<long> many_synchronous_awaits(int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i) sum += co_await one();
  co_return sum;
}

TEST_F(TaskTest, LongChainsOfSynchronousTasksDoNotGrowTheStack) {
  // Symmetric transfer: a million awaits of already-finishing tasks on an I/O thread's stack.
  auto job = make_job();
  EXPECT_EQ(run_value(job, many_synchronous_awaits(1'000'000)), 1'000'000);
}

am::task<int> fails_after(const test_timer &t, am_job *job, uint64_t ms, am_status status,
                          std::string message) {
  co_await tick(t, job, ms);
  throw am::error(status, message);
}

am::task<int> rethrows_through(const test_timer &t, am_job *job) {
  int v = co_await fails_after(t, job, 1, AM_NOT_FOUND, "no such account: bob");
  co_return v + 1;  // never reached
}

TEST_F(TaskTest, ExceptionsPropagateThroughAwaitingTasks) {
  auto job = make_job();
  auto o = run(job, rethrows_through(timer(), job.get()));
  ASSERT_FALSE(o.ok());
  EXPECT_FALSE(o.value.has_value());
  try {
    std::rethrow_exception(o.exception);
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_NOT_FOUND);
    EXPECT_STREQ(e.what(), "no such account: bob");
  }
}

TEST_F(TaskTest, FailedOperationBecomesAnErrorWithItsStatus) {
  auto job = make_job();
  auto o = run(job, tick(timer(), job.get(), 1, AM_TIMEOUT));
  EXPECT_EQ(status_of(o), AM_TIMEOUT);
  try {
    std::rethrow_exception(o.exception);
  } catch (const am::error &e) {
    EXPECT_STREQ(e.what(), "timer failed: timeout");
  }
  EXPECT_EQ(timers_.delivered_failed(), 1u);
}

// Children whose waits the test ends in an order of its choosing, instead of racing delays
// that a slow machine reorders: each logs "start <name>", waits on a test.timer op held on a
// ten-minute timer, and logs "end <name>" once the test fires that op. The log and the ops are
// shared by the job's threads and the thread that releases them.
class HeldChildren {
 public:
  explicit HeldChildren(TimerService &timers) : timers_(timers) {}

  am::task<int> child(const test_timer &t, am_job *job, std::string name, int value) {
    log("start " + name);
    auto r = co_await am::await_done([&](am_done_fn fn, void *user) {
      am_op_id id = t.start(&t, job, kTenMinutes, AM_OK, fn, user);
      held(name, id);
      return id;
    });
    am::check(r);
    log("end " + name);
    co_return value;
  }

  // Run on a thread of its own: waits until every child in `order` is waiting at the same
  // time, then ends them in that order, each only after the previous one logged its end.
  // The guard only bounds a failure, which is reported; the rest are still released in turn.
  void end_in_order(const std::vector<std::string> &order) {
    std::unique_lock lock(mutex_);
    EXPECT_TRUE(changed_.wait_for(lock, kGuard, [&] { return ops_.size() == order.size(); }))
        << ops_.size() << " of " << order.size() << " children were waiting at once";
    for (const std::string &name : order) {
      if (!changed_.wait_for(lock, kGuard, [&] { return ops_.count(name) > 0; })) {
        ADD_FAILURE() << "child " << name << " never started its wait";
        continue;
      }
      EXPECT_TRUE(timers_.fire(ops_.at(name))) << "child " << name << " was no longer waiting";
      EXPECT_TRUE(changed_.wait_for(lock, kGuard, [&] { return logged("end " + name); }))
          << "child " << name << " did not end once let go";
    }
  }

  void log(std::string line) {
    {
      std::lock_guard lock(mutex_);
      log_.push_back(std::move(line));
    }
    changed_.notify_all();
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return log_;
  }

 private:
  static constexpr uint64_t kTenMinutes = 600'000;
  static constexpr std::chrono::seconds kGuard{10};

  void held(const std::string &name, am_op_id id) {
    {
      std::lock_guard lock(mutex_);
      ops_[name] = id;
    }
    changed_.notify_all();
  }
  bool logged(const std::string &line) const {
    return std::find(log_.begin(), log_.end(), line) != log_.end();
  }

  TimerService &timers_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> log_;
  std::map<std::string, am_op_id> ops_;
};

TEST_F(TaskTest, WhenAllTupleRunsChildrenConcurrentlyAndReturnsTheirValues) {
  auto job = make_job();
  HeldChildren children(timers_);
  auto body = [&]() -> am::task<int> {
    auto [a, b, c] = co_await am::when_all(
        children.child(timer(), job.get(), "a", 1),
        [&]() -> am::task<void> { co_await children.child(timer(), job.get(), "b", 0); }(),
        [&]() -> am::task<std::string> {
          co_return std::to_string(co_await children.child(timer(), job.get(), "c", 3));
        }());
    static_assert(std::is_same_v<decltype(b), std::monostate>);
    children.log("joined");
    co_return a * 100 + std::stoi(c);
  };
  // All three children must be waiting at once before the first is let go (end_in_order
  // checks it): when_all runs them concurrently. They end in an order unlike the arguments'.
  std::jthread releaser([&] { children.end_in_order({"b", "c", "a"}); });
  EXPECT_EQ(run_value(job, body()), 103);
  releaser.join();
  // The values are matched to their children and the parent resumed after the last one.
  std::vector<std::string> log = children.lines();
  ASSERT_EQ(log.size(), 7u);
  EXPECT_EQ(std::vector<std::string>(log.begin(), log.begin() + 3),
            (std::vector<std::string>{"start a", "start b", "start c"}));
  EXPECT_EQ(std::vector<std::string>(log.begin() + 3, log.end()),
            (std::vector<std::string>{"end b", "end c", "end a", "joined"}));
  EXPECT_EQ(timers_.delivered_ok(), 3u);
}

TEST_F(TaskTest, WhenAllVectorKeepsInputOrderWhateverTheCompletionOrder) {
  auto job = make_job();
  HeldChildren children(timers_);
  auto body = [&]() -> am::task<std::vector<int>> {
    std::vector<am::task<int>> tasks;
    for (int i = 0; i < 8; ++i)
      tasks.push_back(children.child(timer(), job.get(), std::to_string(i), i * i));
    co_return co_await am::when_all(std::move(tasks));
  };
  const std::vector<std::string> completion{"7", "2", "5", "0", "6", "3", "1", "4"};
  std::jthread releaser([&] { children.end_in_order(completion); });
  EXPECT_EQ(run_value(job, body()), (std::vector<int>{0, 1, 4, 9, 16, 25, 36, 49}));
  releaser.join();
  std::vector<std::string> log = children.lines();
  ASSERT_EQ(log.size(), 16u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(log[i], "start " + std::to_string(i));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(log[8 + i], "end " + completion[i]);
}

TEST_F(TaskTest, WhenAllOfNothingCompletesAtOnce) {
  auto job = make_job();
  auto body = []() -> am::task<std::size_t> {
    auto values = co_await am::when_all(std::vector<am::task<int>>{});
    co_return values.size();
  };
  EXPECT_EQ(run_value(job, body()), 0u);
}

TEST_F(TaskTest, WhenAllOfChildrenThatFinishSynchronously) {
  auto job = make_job();
  auto body = []() -> am::task<int> {
    auto [a, b] = co_await am::when_all(one(), one());
    std::vector<am::task<int>> v;
    v.push_back(one());
    v.push_back(one());
    auto more = co_await am::when_all(std::move(v));
    co_return a + b + more[0] + more[1];
  };
  EXPECT_EQ(run_value(job, body()), 4);
}

TEST_F(TaskTest, WhenAllWaitsForEveryChildEvenWhenOneThrows) {
  auto job = make_job();
  bool slow_finished = false;
  auto slow = [&]() -> am::task<int> {
    co_await tick(timer(), job.get(), 50);
    slow_finished = true;
    co_return 2;
  };
  auto body = [&]() -> am::task<bool> {
    try {
      co_await am::when_all(fails_after(timer(), job.get(), 1, AM_IO, "disk full"), slow());
    } catch (const am::error &e) {
      EXPECT_EQ(e.status(), AM_IO);
      co_return slow_finished;  // the failing child did not cut the slow one short
    }
    co_return false;
  };
  EXPECT_TRUE(run_value(job, body()));
  EXPECT_TRUE(slow_finished);
}

TEST_F(TaskTest, WhenAllRethrowsTheFirstFailureInArgumentOrder) {
  auto job = make_job();
  auto body = [&]() -> am::task<am_status> {
    std::vector<am::task<int>> v;
    v.push_back(answer_after(timer(), job.get(), 1, 0));
    v.push_back(fails_after(timer(), job.get(), 40, AM_RATE_LIMITED, "second"));  // fails last
    v.push_back(fails_after(timer(), job.get(), 1, AM_UNAVAILABLE, "third"));     // fails first
    try {
      co_await am::when_all(std::move(v));
    } catch (const am::error &e) {
      co_return e.status();
    }
    co_return AM_OK;
  };
  EXPECT_EQ(run_value(job, body()), AM_RATE_LIMITED);
}

TEST_F(TaskTest, SpawnCallsOnDoneExactlyOnceForValueThrowAndSynchronousEnds) {
  auto job = make_job();
  EXPECT_EQ(run_value(job, answer_after(timer(), job.get(), 1, 5)), 5);
  auto failed = run(job, fails_after(timer(), job.get(), 1, AM_IO, "x"));
  EXPECT_EQ(status_of(failed), AM_IO);
  EXPECT_EQ(run_value(job, one()), 1);
  job->wait_idle();
  // A late second call would have been counted too.
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(done_calls_.load(), 3);

  // Directly, without a job: a task that never suspends ends inside spawn.
  int calls = 0;
  am::spawn(one(), [&](am::outcome<int> &&o) noexcept {
    ++calls;
    EXPECT_EQ(*o.value, 1);
  });
  EXPECT_EQ(calls, 1);
  am::spawn(
      []() -> am::task<void> {
        throw std::runtime_error("boom");
        co_return;
      }(),
      [&](am::outcome<void> &&o) noexcept {
        ++calls;
        EXPECT_FALSE(o.ok());
      });
  EXPECT_EQ(calls, 2);
}

// Completions straight from many raw threads at once, with no executor in between: the
// when_all join must resume the parent exactly once, after every child.
struct RawThreads {
  std::mutex mutex;
  std::vector<std::thread> threads;
  ~RawThreads() { join(); }
  void join() {
    std::lock_guard lock(mutex);
    for (auto &t : threads)
      if (t.joinable()) t.join();
  }
  am::task<int> after(std::chrono::microseconds delay, int value) {
    auto r = co_await am::await_done([&](am_done_fn fn, void *user) {
      std::lock_guard lock(mutex);
      threads.emplace_back([fn, user, delay] {
        std::this_thread::sleep_for(delay);
        fn(user, AM_OK, am_str{"", 0});
      });
      return am_op_id{1};
    });
    am::check(r);
    co_return value;
  }
};

TEST(TaskRawThreads, WhenAllJoinsChildrenCompletingOnManyThreadsAtOnce) {
  for (int round = 0; round < 20; ++round) {
    RawThreads raw;
    std::atomic<int> calls{0};
    std::promise<long> result;
    auto body = [&]() -> am::task<long> {
      std::vector<am::task<int>> v;
      for (int i = 0; i < 32; ++i) v.push_back(raw.after(std::chrono::microseconds(i % 4), i));
      auto values = co_await am::when_all(std::move(v));
      long sum = 0;
      for (int x : values) sum += x;
      co_return sum;
    };
    am::spawn(body(), [&](am::outcome<long> &&o) noexcept {
      if (calls.fetch_add(1) == 0) result.set_value(o.ok() ? *o.value : -1);
    });
    auto f = result.get_future();
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(f.get(), 31 * 32 / 2);
    raw.join();  // every completion has returned: no second on_done can still come
    EXPECT_EQ(raw.threads.size(), 32u);
    EXPECT_EQ(calls.load(), 1);
  }
}

}  // namespace
}  // namespace automuse::test
