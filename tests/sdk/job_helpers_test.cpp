// tests/sdk/job_helpers_test.cpp — am::job (on_worker, sleep, cancellation checks) on the real
// "automuse.job/1", and the boundary helpers: am::guard, am::buffer, start_coroutine_action.
#include <new>
#include <stdexcept>
#include <thread>

#include "sdk_fixture.hpp"

namespace automuse::test {
namespace {

using namespace std::chrono_literals;

class JobHelpersTest : public SdkTest {};

TEST_F(JobHelpersTest, OnWorkerRunsOnAWorkerThreadAndResumesOnTheJobsExecutor) {
  auto job = make_job();
  auto j = cpp_job(job);
  std::thread::id worker_thread;
  bool work_on_strand = true, resumed_on_strand = false, started_on_strand = false;
  std::thread::id io_thread;
  auto body = [&]() -> am::task<int> {
    started_on_strand = job->executor().running_in_this_thread();
    io_thread = std::this_thread::get_id();
    int v = co_await j.on_worker([&] {
      worker_thread = std::this_thread::get_id();
      work_on_strand = job->executor().running_in_this_thread();
      return 6 * 7;
    });
    resumed_on_strand = job->executor().running_in_this_thread();
    co_return v;
  };
  EXPECT_EQ(run_value(job, body()), 42);
  EXPECT_TRUE(started_on_strand);
  EXPECT_FALSE(work_on_strand);
  EXPECT_NE(worker_thread, io_thread);
  EXPECT_NE(worker_thread, std::this_thread::get_id());
  EXPECT_TRUE(resumed_on_strand);
}

TEST_F(JobHelpersTest, OnWorkerCarriesExceptionsAndVoidResults) {
  auto job = make_job();
  auto j = cpp_job(job);
  auto body = [&]() -> am::task<int> {
    bool ran = false;
    co_await j.on_worker([&] { ran = true; });
    EXPECT_TRUE(ran);
    try {
      co_await j.on_worker([]() -> int { throw am::error(AM_INVALID_ARGUMENT, "bad frame"); });
    } catch (const am::error &e) {
      EXPECT_STREQ(e.what(), "bad frame");
      co_return e.status();
    }
    co_return AM_OK;
  };
  EXPECT_EQ(run_value(job, body()), AM_INVALID_ARGUMENT);
}

TEST_F(JobHelpersTest, OnWorkerOverlapsIndependentWork) {
  // Two pieces of work, each waiting for the other to have started: they only finish if the
  // pool runs them at the same time (the fixture's pool has two threads).
  auto job = make_job();
  auto j = cpp_job(job);
  std::atomic<int> arrived{0};
  auto rendezvous = [&] {
    ++arrived;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (arrived.load() < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    return arrived.load();
  };
  auto body = [&]() -> am::task<int> {
    auto [a, b] = co_await am::when_all(j.on_worker(rendezvous), j.on_worker(rendezvous));
    co_return a + b;
  };
  EXPECT_EQ(run_value(job, body()), 4);
}

TEST_F(JobHelpersTest, SleepResumesAfterTheDelayOnTheJobsExecutor) {
  auto job = make_job();
  auto j = cpp_job(job);
  bool on_strand = false;
  auto body = [&]() -> am::task<std::chrono::steady_clock::duration> {
    auto t0 = std::chrono::steady_clock::now();
    co_await j.sleep(30ms);
    on_strand = job->executor().running_in_this_thread();
    co_return std::chrono::steady_clock::now() - t0;
  };
  EXPECT_GE(run_value(job, body()), 30ms);  // never early (no upper bound: machines are noisy)
  EXPECT_TRUE(on_strand);
}

TEST_F(JobHelpersTest, SleepsOfOneJobRunConcurrentlyUnderWhenAll) {
  // Ordering, not timing: the 1 ms sleep started after the 40 ms one yet finishes first.
  auto job = make_job();
  auto j = cpp_job(job);
  std::vector<int> order;
  auto nap = [&](int ms) -> am::task<void> {
    co_await j.sleep(std::chrono::milliseconds(ms));
    order.push_back(ms);
  };
  auto body = [&]() -> am::task<void> { co_await am::when_all(nap(40), nap(1)); };
  run_value(job, body());
  EXPECT_EQ(order, (std::vector<int>{1, 40}));
}

TEST_F(JobHelpersTest, JobHandleNeedsTheJobService) {
  core::ServiceRegistry empty;
  auto ctx = core::make_plugin_context("bare", empty, runtime_);
  auto job = make_job();
  try {
    am::job j(am::host(&ctx->host), job.get());
    FAIL() << "am::job accepted a host without automuse.job/1";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_UNSUPPORTED);
    EXPECT_NE(std::string(e.what()).find(AM_JOB_SERVICE_ID), std::string::npos);
  }
}

TEST(Guard, TurnsEveryKindOfExceptionIntoAStatusAndMessage) {
  std::string message = "unchanged";
  EXPECT_EQ(am::guard([] {}, &message), AM_OK);
  EXPECT_EQ(message, "unchanged");
  EXPECT_EQ(am::guard([] { throw am::error(AM_RATE_LIMITED, "slow down"); }, &message),
            AM_RATE_LIMITED);
  EXPECT_EQ(message, "slow down");
  EXPECT_EQ(am::guard([] { throw std::runtime_error("plain"); }, &message), AM_ERROR);
  EXPECT_EQ(message, "plain");
  EXPECT_EQ(am::guard([] { throw std::bad_alloc(); }, &message), AM_NO_MEMORY);
  EXPECT_EQ(message, "out of memory");
  EXPECT_EQ(am::guard([] { throw 42; }, &message), AM_INTERNAL);
  EXPECT_EQ(message, "unknown exception");
  EXPECT_EQ(am::guard([] { throw am::error(AM_IO, "no message wanted"); }), AM_IO);
  static_assert(noexcept(am::guard([] { throw 1; })));
}

TEST(Buffer, ReleasesExactlyOnceThroughMovesAndReuse) {
  static int releases[3];
  releases[0] = releases[1] = releases[2] = 0;
  auto make = [](int slot, const char *text) {
    am_buffer b{reinterpret_cast<const uint8_t *>(text), std::strlen(text),
                [](am_buffer *self) { ++releases[reinterpret_cast<intptr_t>(self->owner)]; },
                reinterpret_cast<void *>(static_cast<intptr_t>(slot))};
    return b;
  };
  {
    am::buffer a(make(0, "zero"));
    EXPECT_EQ(a.view(), "zero");
    am::buffer b(std::move(a));  // moved-from a must not release
    EXPECT_EQ(a.size(), 0u);
    EXPECT_EQ(b.str(), "zero");
    am::buffer c(make(1, "one"));
    c = std::move(b);  // releases "one" now, takes "zero"
    EXPECT_EQ(releases[1], 1);
    EXPECT_EQ(c.view(), "zero");
    *c.out() = make(2, "two");  // out() releases "zero" first
    EXPECT_EQ(releases[0], 1);
    EXPECT_EQ(c.view(), "two");
    c.reset();
    EXPECT_EQ(releases[2], 1);
    c.reset();
  }
  EXPECT_EQ(releases[0], 1);
  EXPECT_EQ(releases[1], 1);
  EXPECT_EQ(releases[2], 1);

  am::buffer made(am::make_buffer("payload"));  // released by the side that made it
  EXPECT_EQ(made.view(), "payload");
  am::buffer empty;
  EXPECT_TRUE(empty.view().empty());
}

// A plugin's start_action written with start_coroutine_action, run on a real job.
struct ActionResult {
  std::atomic<int> calls{0};
  am_status status = -1;
  std::string result, message;
  std::promise<void> done;
};

void record_done(void *user, am_status status, am_str result, am_str message) {
  auto *r = static_cast<ActionResult *>(user);
  r->status = status;
  r->result = am::to_string(result);
  r->message = am::to_string(message);
  if (r->calls.fetch_add(1) == 0) r->done.set_value();
}

TEST_F(JobHelpersTest, CoroutineActionReportsItsValueOrItsErrorThroughDoneOnce) {
  struct Case {
    std::string action, result, message;
    am_status status;
  };
  for (const auto &c : {Case{"ok", "{\"slept\":true}", "", AM_OK},
                        Case{"fail", "null", "no account named x", AM_NOT_FOUND}}) {
    auto job = make_job();
    ActionResult out;
    am_action_call call{sizeof(am_action_call),
                        job.get(),
                        am::to_am_str(c.action),
                        am::to_am_str("{}"),
                        record_done,
                        &out,
                        nullptr,
                        nullptr};
    am_status started = -1;
    // The body's state lives in a lambda with captures: the helper must keep it alive.
    std::string tag = "slept";
    auto body = [tag](am::job j, am::action_request r) -> am::task<std::string> {
      co_await j.sleep(1ms);
      if (r.action == "fail") throw am::error(AM_NOT_FOUND, "no account named x");
      co_return "{\"" + tag + "\":true}";
    };
    job->post([&] { started = am::start_coroutine_action(host(), &call, body); });
    ASSERT_EQ(out.done.get_future().wait_for(10s), std::future_status::ready);
    job->wait_idle();
    EXPECT_EQ(started, AM_OK);
    EXPECT_EQ(out.calls.load(), 1);
    EXPECT_EQ(out.status, c.status);
    EXPECT_EQ(out.result, c.result);
    EXPECT_EQ(out.message, c.message);
  }
}

TEST_F(JobHelpersTest, CoroutineActionBodyMayTakeItsArgumentsByReference) {
  // The job and request handed to the body must live as long as the coroutine, not just
  // until start_coroutine_action returns.
  auto job = make_job();
  ActionResult out;
  am_action_call call{sizeof(am_action_call),
                      job.get(),
                      am::to_am_str("echo"),
                      am::to_am_str("{\"n\":1}"),
                      record_done,
                      &out,
                      nullptr,
                      nullptr};
  job->post([&] {
    am::start_coroutine_action(
        host(), &call, [](const am::job &j, const am::action_request &r) -> am::task<std::string> {
          co_await j.sleep(2ms);
          co_await j.sleep(1ms);
          co_return r.action + " " + r.args_json;
        });
  });
  ASSERT_EQ(out.done.get_future().wait_for(10s), std::future_status::ready);
  job->wait_idle();
  EXPECT_EQ(out.status, AM_OK);
  EXPECT_EQ(out.result, "echo {\"n\":1}");
}

}  // namespace
}  // namespace automuse::test
