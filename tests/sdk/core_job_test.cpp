// tests/sdk/core_job_test.cpp — unit tests of host/core's am_job (add_op / complete_op /
// cancel_op / cancel / wait_idle), the "automuse.job/1" table and the service registry.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "core/job.hpp"
#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"

namespace automuse::core {
namespace {

using namespace std::chrono_literals;

class CoreJobTest : public ::testing::Test {
 protected:
  CoreJobTest() : runtime_(1, 2) {}
  ~CoreJobTest() override {
    for (auto &j : jobs_) {
      j->cancel();
      j->wait_idle();
    }
  }
  JobPtr make_job() {
    jobs_.push_back(runtime_.make_job("core-test"));
    return jobs_.back();
  }
  // Wait until everything posted to the job's strand so far has run.
  static void flush(const JobPtr &job) {
    std::promise<void> p;
    job->post([&] { p.set_value(); });
    p.get_future().wait();
  }

  Runtime runtime_;
  std::vector<JobPtr> jobs_;
};

TEST_F(CoreJobTest, CompleteOpDeliversOnceOnTheStrandAndRejectsRepeatsAndUnknownIds) {
  auto job = make_job();
  am_op_id a = job->add_op(nullptr), b = job->add_op(nullptr);
  EXPECT_NE(a, 0u);
  EXPECT_NE(a, b);
  EXPECT_EQ(job->pending(), 2u);
  std::atomic<int> delivered{0};
  bool on_strand = false;
  EXPECT_TRUE(job->complete_op(a, [&] {
    on_strand = job->executor().running_in_this_thread();
    ++delivered;
  }));
  EXPECT_FALSE(job->complete_op(a, [&] { delivered += 100; }));
  EXPECT_FALSE(job->complete_op(987654321, [&] { delivered += 1000; }));
  EXPECT_TRUE(job->complete_op(b, [&] { ++delivered; }));
  job->wait_idle();
  EXPECT_EQ(delivered.load(), 2);
  EXPECT_TRUE(on_strand);
  EXPECT_EQ(job->pending(), 0u);
}

TEST_F(CoreJobTest, CancelOpRunsTheHookOnceAndNotAfterCompletion) {
  auto job = make_job();
  std::atomic<int> hook_a{0}, hook_b{0};
  am_op_id a = job->add_op([&](am_op_id id) {
    ++hook_a;
    job->complete_op(id, [] {});
  });
  am_op_id b = job->add_op([&](am_op_id) { ++hook_b; });
  job->cancel_op(a);
  job->cancel_op(a);  // finished: no-op
  EXPECT_EQ(hook_a.load(), 1);
  EXPECT_TRUE(job->complete_op(b, [] {}));
  job->cancel_op(b);  // completed before the cancel: the hook never runs
  job->cancel_op(0);  // unknown: no-op
  job->wait_idle();
  EXPECT_EQ(hook_a.load(), 1);
  EXPECT_EQ(hook_b.load(), 0);
  EXPECT_FALSE(job->cancelled());
}

TEST_F(CoreJobTest, CancelIsIdempotentAndRunsEveryPendingHookOnce) {
  auto job = make_job();
  std::atomic<int> hooks{0};
  std::vector<am_op_id> ids;
  for (int i = 0; i < 10; ++i)
    ids.push_back(job->add_op([&](am_op_id id) {
      ++hooks;
      job->complete_op(id, [] {});
    }));
  EXPECT_TRUE(job->complete_op(ids[3], [] {}));  // one finished normally first
  job->cancel();
  job->cancel();
  for (auto id : ids) job->cancel_op(id);
  EXPECT_TRUE(job->cancelled());
  job->wait_idle();
  EXPECT_EQ(hooks.load(), 9);
  EXPECT_EQ(job->pending(), 0u);
}

TEST_F(CoreJobTest, AddOpOnACancelledJobRunsTheHookLaterFromTheStrand) {
  // Called from the job's own executor (where plugin code runs), the hook cannot run before
  // the start function returns; called from elsewhere it still never runs inside add_op.
  auto job = make_job();
  job->cancel();
  std::atomic<bool> add_op_returned{false}, hook_saw_return{false}, hook_on_strand{false};
  std::promise<void> hooked;
  am_op_id id = 0;
  job->post([&] {
    id = job->add_op([&](am_op_id op) {
      hook_saw_return = add_op_returned.load();
      hook_on_strand = job->executor().running_in_this_thread();
      job->complete_op(op, [] {});
      hooked.set_value();
    });
    add_op_returned = true;
  });
  ASSERT_EQ(hooked.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_NE(id, 0u);
  EXPECT_TRUE(hook_saw_return.load());
  EXPECT_TRUE(hook_on_strand.load());
  job->cancel_op(id);  // already cancelled: no second hook

  std::promise<std::thread::id> hook_thread;
  job->add_op([&](am_op_id op) {
    hook_thread.set_value(std::this_thread::get_id());
    job->complete_op(op, [] {});
  });
  EXPECT_NE(hook_thread.get_future().get(), std::this_thread::get_id());
  job->wait_idle();
}

TEST_F(CoreJobTest, WaitIdleReturnsOnlyAfterTheLastDeliveryRan) {
  auto job = make_job();
  am_op_id id = job->add_op(nullptr);
  std::atomic<bool> delivered{false};
  std::thread completer([&] {
    std::this_thread::sleep_for(20ms);
    job->complete_op(id, [&] {
      std::this_thread::sleep_for(10ms);  // still delivering: wait_idle must keep waiting
      delivered = true;
    });
  });
  job->wait_idle();
  EXPECT_TRUE(delivered.load());
  completer.join();
}

TEST_F(CoreJobTest, StrandSerialisesCallbacksFromManyThreads) {
  auto job = make_job();
  std::atomic<int> inside{0}, overlaps{0};
  int counter = 0;  // unsynchronised on purpose: the strand is the lock
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        am_op_id id = job->add_op(nullptr);
        job->complete_op(id, [&] {
          if (inside.fetch_add(1) != 0) ++overlaps;
          ++counter;
          inside.fetch_sub(1);
        });
      }
    });
  for (auto &t : threads) t.join();
  job->wait_idle();
  EXPECT_EQ(counter, 2000);
  EXPECT_EQ(overlaps.load(), 0);
}

// The C table of "automuse.job/1".
struct Done {
  std::atomic<int> calls{0};
  std::atomic<am_status> status{-1};
  std::promise<void> promise;
  static void fn(void *user, am_status status, am_str) {
    auto *d = static_cast<Done *>(user);
    d->status = status;
    if (d->calls.fetch_add(1) == 0) d->promise.set_value();
  }
  void wait() { ASSERT_EQ(promise.get_future().wait_for(10s), std::future_status::ready); }
};

TEST_F(CoreJobTest, JobServiceTableRunsPostSleepAndWorkerWork) {
  const am_job_service *svc = job_service();
  ASSERT_EQ(svc->struct_size, sizeof(am_job_service));
  auto job = make_job();

  std::promise<bool> posted;
  svc->post(
      job.get(), [](void *p) { static_cast<std::promise<bool> *>(p)->set_value(true); }, &posted);
  EXPECT_TRUE(posted.get_future().get());

  Done slept;
  EXPECT_NE(svc->sleep(job.get(), 1, Done::fn, &slept), 0u);
  slept.wait();
  EXPECT_EQ(slept.status.load(), AM_OK);

  Done worked;
  std::atomic<bool> ran{false};
  struct Ctx {
    Done *done;
    std::atomic<bool> *ran;
  } ctx{&worked, &ran};
  svc->run_on_worker(
      job.get(), [](void *p) { *static_cast<Ctx *>(p)->ran = true; },
      [](void *p, am_status s, am_str e) { Done::fn(static_cast<Ctx *>(p)->done, s, e); }, &ctx);
  worked.wait();
  EXPECT_TRUE(ran.load());
  EXPECT_EQ(worked.status.load(), AM_OK);
  job->wait_idle();
  EXPECT_EQ(slept.calls.load(), 1);
  EXPECT_EQ(worked.calls.load(), 1);
}

TEST_F(CoreJobTest, JobServiceSleepCancelledCompletesOnceWithCancelled) {
  const am_job_service *svc = job_service();
  auto job = make_job();
  Done d;
  am_op_id id = svc->sleep(job.get(), 600'000, Done::fn, &d);
  svc->cancel(job.get(), id);
  svc->cancel(job.get(), id);
  d.wait();
  job->wait_idle();
  EXPECT_EQ(d.status.load(), AM_CANCELLED);
  EXPECT_EQ(d.calls.load(), 1);
  EXPECT_FALSE(svc->is_cancelled(job.get()));
  svc->cancel_job(job.get());
  EXPECT_TRUE(svc->is_cancelled(job.get()));
}

TEST_F(CoreJobTest, WorkerWorkOnACancelledJobNeverRuns) {
  // header contract: AM_CANCELLED "when the job was cancelled before work started (work then
  // never runs)". Many tries, since the worker pool and the strand race for each op.
  const am_job_service *svc = job_service();
  auto job = make_job();
  svc->cancel_job(job.get());
  constexpr int kTries = 500;
  std::atomic<int> ran{0}, cancelled{0}, calls{0};
  struct Ctx {
    std::atomic<int> *ran, *cancelled, *calls;
  } ctx{&ran, &cancelled, &calls};
  for (int i = 0; i < kTries; ++i)
    svc->run_on_worker(
        job.get(), [](void *p) { ++*static_cast<Ctx *>(p)->ran; },
        [](void *p, am_status s, am_str) {
          auto *c = static_cast<Ctx *>(p);
          ++*c->calls;
          if (s == AM_CANCELLED) ++*c->cancelled;
        },
        &ctx);
  job->wait_idle();
  EXPECT_EQ(calls.load(), kTries);
  EXPECT_EQ(cancelled.load(), kTries);
  EXPECT_EQ(ran.load(), 0);
}

TEST(ServiceRegistry, PluginContextHostFindsRegisteredServicesOnly) {
  Runtime runtime(1, 1);
  ServiceRegistry registry;
  static const int kTable = 7;
  registry.add("test.thing/1", &kTable);
  registry.add(AM_JOB_SERVICE_ID, job_service());
  auto ctx = make_plugin_context("plugin-x", registry, runtime);
  const am_host *h = &ctx->host;
  EXPECT_EQ(h->struct_size, sizeof(am_host));
  EXPECT_TRUE(am_version_compatible(h->abi, am_version AM_ABI_VERSION_INIT));
  EXPECT_EQ(std::string(h->host_name.data, h->host_name.len), "automuse-host");
  EXPECT_GT(h->host_version.len, 0u);
  EXPECT_EQ(h->get_service(h, "test.thing/1"), &kTable);
  EXPECT_EQ(h->get_service(h, AM_JOB_SERVICE_ID), job_service());
  EXPECT_EQ(h->get_service(h, "test.thing/2"), nullptr);
  EXPECT_EQ(h->get_service(h, nullptr), nullptr);
  EXPECT_EQ(context_of(h).plugin_id, "plugin-x");
}

}  // namespace
}  // namespace automuse::core
