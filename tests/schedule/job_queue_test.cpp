// tests/schedule/job_queue_test.cpp — the job queue on a real SQLite store: claims take the
// oldest job first and skip interrupted runs by hand; a slot is enqueued once however many
// daemons (threads with connections of their own) enqueue it; a live lease is never taken,
// a lapsed one is, and its old holder can neither renew nor end the job; the LeaseKeeper
// renews a held lease past its length and reports a lost one; forked worker processes
// claiming at once never share a job; a store of version 8 with unfinished runs upgrades
// them into jobs. Lease lengths are tiny (a few hundred milliseconds).
#include "schedule/job_queue.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "schedule/lease_keeper.hpp"
#include "schedule/schedule_store.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::schedule {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Queue : public ::testing::Test {
 protected:
  void SetUp() override { store_.emplace(db()); }
  fs::path db() const { return dir_ / "automuse.db"; }
  // A schedule of `action` of plugin `plugin` (no account: jobs of one plugin then run one
  // at a time, as one account's do).
  Schedule schedule(const std::string &action, const std::string &plugin = "fixture-steps") {
    Schedule s;
    s.plugin_id = plugin;
    s.action = action;
    s.cron = "0 10 * * *";
    return ScheduleStore(db()).add(s);
  }
  // A queued job of a new schedule, enqueued as a daemon would.
  Job queued(const std::string &action, const std::string &plugin = "fixture-steps",
             int64_t slot = 1000) {
    auto job = JobQueue(db()).enqueue_slot(schedule(action, plugin), slot, slot);
    EXPECT_TRUE(job);
    return job.value_or(Job{});
  }
  int64_t count(const std::string &where) {
    sqlite::Db raw(db());
    sqlite::Stmt q(raw, "SELECT COUNT(*) FROM jobs WHERE " + where);
    q.step();
    return q.int64(0);
  }

  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
  std::optional<store::Store> store_;  // creates and migrates the database
};

TEST_F(Queue, ClaimsTheOldestJobFirstAndLeavesInterruptedRunsByHand) {
  JobQueue q(db());
  const Job first = queued("first", "plugin-a");
  std::this_thread::sleep_for(5ms);
  const Job second = queued("second", "plugin-b");
  Job by_hand;
  by_hand.plugin_id = "fixture-steps";
  by_hand.action = "by-hand";
  by_hand = q.enqueue_held(by_hand, "cli", 60000);
  ASSERT_TRUE(q.finish(by_hand.id, "cli", "interrupted"));

  auto a = q.claim("w1", 60000);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->job.id, first.id);
  EXPECT_EQ(a->job.state, "running");
  EXPECT_EQ(a->job.lease_owner, "w1");
  EXPECT_EQ(a->job.attempts, 1);
  EXPECT_FALSE(a->left) << "nothing ran it before";
  auto b = q.claim("w2", 60000);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->job.id, second.id);
  EXPECT_FALSE(q.claim("w3", 60000)) << "the interrupted run by hand is not a worker's";

  // It is the next identical run's, and only with the same inputs.
  EXPECT_FALSE(q.claim_identical("cli2", 60000, "fixture-steps", std::nullopt, "by-hand",
                                 R"({"sets":["x=1"]})"));
  auto again = q.claim_identical("cli2", 60000, "fixture-steps", std::nullopt, "by-hand", "{}");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->job.id, by_hand.id);
  EXPECT_EQ(again->job.attempts, 2);
}

TEST_F(Queue, ASlotIsEnqueuedOnceByManyDaemons) {
  const Schedule s = schedule("steps");  // every daemon read it before firing
  std::atomic<int> enqueued{0};
  std::vector<std::thread> daemons;
  for (int k = 0; k < 6; ++k)
    daemons.emplace_back([&, k] {
      JobQueue q(db());  // a connection of its own, as another process has
      if (q.enqueue_slot(s, 5000, 5000 + k)) ++enqueued;
    });
  for (auto &t : daemons) t.join();
  EXPECT_EQ(enqueued, 1);
  EXPECT_EQ(count("schedule_id = '" + s.id + "'"), 1);

  // Even a daemon whose firing check passes (it read the schedule after the first fired)
  // does not enqueue the same slot twice: the slot is unique.
  Schedule later = *ScheduleStore(db()).get(s.id);
  EXPECT_FALSE(JobQueue(db()).enqueue_slot(later, 5000, 6000));
  EXPECT_EQ(count("schedule_id = '" + s.id + "'"), 1);
  later = *ScheduleStore(db()).get(s.id);
  EXPECT_TRUE(JobQueue(db()).enqueue_slot(later, 7000, 7000)) << "the next slot is a new job";
}

TEST_F(Queue, ALiveLeaseIsNeverTakenALapsedOneIs) {
  const Job job = queued("steps");
  ScheduleStore runs(db());
  JobQueue a(db()), b(db());
  ASSERT_TRUE(a.claim("worker-a", 60000));
  JobRun run;
  run.plugin_id = job.plugin_id;
  run.action = job.action;
  run.schedule_id = job.schedule_id;
  run.job_id = job.id;
  const JobRun started = runs.start_run(run);
  EXPECT_FALSE(b.claim("worker-b", 300)) << "worker-a's lease is live";
  EXPECT_TRUE(a.renew(job.id, "worker-a", 60000));
  EXPECT_FALSE(b.claim("worker-b", 300)) << "renewed: still live";

  // worker-a's last renewal was for 1 ms, and then it stopped: its lease lapsed.
  EXPECT_TRUE(a.renew(job.id, "worker-a", 1));
  std::this_thread::sleep_for(20ms);
  auto taken = b.claim("worker-b", 60000);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->job.id, job.id) << "the same job, so the same job id";
  EXPECT_EQ(taken->job.attempts, 2);
  ASSERT_TRUE(taken->left);
  EXPECT_EQ(taken->left->id, started.id);
  for (auto &r : runs.list_runs(0)) {
    EXPECT_EQ(r.status, "resumed");
    EXPECT_NE(r.error.value_or("").find("left running by worker " + *started.worker),
              std::string::npos)
        << r.error.value_or("");
  }
  // The old holder lost it: it can neither renew, nor record the end of its attempt, nor end
  // the job.
  EXPECT_FALSE(a.renew(job.id, "worker-a", 300));
  EXPECT_FALSE(runs.finish_run(started.id, "succeeded", std::nullopt, std::nullopt));
  EXPECT_FALSE(a.finish(job.id, "worker-a", "done"));
  EXPECT_TRUE(b.finish(job.id, "worker-b", "done"));
  EXPECT_EQ(b.get(job.id)->state, "done");
  EXPECT_FALSE(b.claim("worker-c", 300)) << "a finished job is nobody's";
}

// The approval gate's states: a job held for approval is nobody's to claim; approving queues
// it for a worker on the host that made it (its outbox holds the files) and no other; each
// decision takes effect once; rejecting ends it.
TEST_F(Queue, AnApprovedJobIsClaimedOnlyOnTheHostThatMadeIt) {
  JobQueue q(db());
  Job gated;
  gated.plugin_id = "fixture-steps";
  gated.action = "steps";
  gated.approval = "required";
  const Job job = q.enqueue(gated);
  EXPECT_EQ(q.get(job.id)->approval, "required");
  ASSERT_TRUE(q.claim("host-a:1:aa", 60000));
  EXPECT_FALSE(q.hold_for_approval(job.id, "host-b:2:bb", "h-1")) << "not its holder";
  ASSERT_TRUE(q.hold_for_approval(job.id, "host-a:1:aa", "h-1"));
  Job held = *q.get(job.id);
  EXPECT_EQ(held.state, "awaiting_approval");
  EXPECT_EQ(held.approval_item, "h-1");
  EXPECT_EQ(held.approval_host, "host-a");
  EXPECT_FALSE(held.lease_owner);
  EXPECT_FALSE(q.claim("host-a:3:cc", 300)) << "waiting for a decision: nobody's";
  EXPECT_EQ(count("state = 'awaiting_approval'"), 1);
  ASSERT_EQ(q.open_jobs().size(), 1u) << "listed among the open jobs";

  bool taken = false;
  EXPECT_EQ(q.approve(job.id, &taken)->state, "queued");
  EXPECT_TRUE(taken);
  EXPECT_TRUE(q.get(job.id)->approved_ms);
  EXPECT_EQ(q.approve(job.id, &taken)->state, "queued");
  EXPECT_FALSE(taken) << "approved once";
  std::optional<std::string> file;
  EXPECT_EQ(q.reject(job.id, "no", &taken, &file)->state, "queued");
  EXPECT_FALSE(taken) << "an approved job is no longer rejected";
  EXPECT_FALSE(q.claim("host-b:2:bb", 300)) << "its files are on host-a";
  auto claim = q.claim("host-a:4:dd", 60000);
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->job.id, job.id);
  EXPECT_TRUE(q.finish(job.id, "host-a:4:dd", "done"));

  // Another held job, rejected: it ends, once.
  const Job other = q.enqueue(gated);
  ASSERT_TRUE(q.claim("host-b:2:bb", 60000));
  ASSERT_TRUE(q.hold_for_approval(other.id, "host-b:2:bb", "h-2"));
  EXPECT_EQ(q.reject(other.id, "rejected: not published", &taken, &file)->state, "rejected");
  EXPECT_TRUE(taken);
  EXPECT_FALSE(file) << "no history record h-2 here";
  EXPECT_EQ(q.get(other.id)->error, "rejected: not published");
  q.reject(other.id, "again", &taken, &file);
  EXPECT_FALSE(taken);
  q.approve(other.id, &taken);
  EXPECT_FALSE(taken);
  EXPECT_FALSE(q.approve("no-such-job", &taken));
  EXPECT_EQ(count("state = 'rejected'"), 1);
  EXPECT_TRUE(q.open_jobs().empty());
}

TEST_F(Queue, TheKeeperRenewsAHeldLeasePastItsLength) {
  const Job job = queued("steps");
  LeaseTimes times{600, 60, 100};
  ASSERT_TRUE(JobQueue(db()).claim("worker-a", times.lease_ms));
  std::atomic<int> lost{0};
  {
    LeaseKeeper keeper(db(), "worker-a", times, [&](const std::string &) { ++lost; });
    keeper.hold(job.id);
    JobQueue other(db());
    for (int k = 0; k < 15; ++k) {  // 1.5 s, more than two lease lengths
      std::this_thread::sleep_for(100ms);
      EXPECT_FALSE(other.claim("worker-b", times.lease_ms)) << "renewed: still worker-a's";
    }
    EXPECT_GT(*other.get(job.id)->lease_expires_ms, lease_clock_ms());
  }  // the keeper stops, as when worker-a is killed
  EXPECT_EQ(lost, 0);
  std::this_thread::sleep_for(750ms);
  auto taken = JobQueue(db()).claim("worker-b", times.lease_ms);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->job.id, job.id);
}

TEST_F(Queue, TheKeeperReportsALeaseAnotherWorkerTook) {
  const Job job = queued("steps");
  JobQueue a(db());
  ASSERT_TRUE(a.claim("worker-a", 100));
  std::this_thread::sleep_for(250ms);  // worker-a stalled past its lease
  ASSERT_TRUE(JobQueue(db()).claim("worker-b", 60000));
  std::atomic<int> lost{0};
  std::string which;
  std::mutex m;
  LeaseKeeper keeper(db(), "worker-a", LeaseTimes{100, 30, 100}, [&](const std::string &id) {
    std::lock_guard lock(m);
    which = id;
    ++lost;
  });
  keeper.hold(job.id);
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (lost == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(200ms);  // later renewals do not report it again
  EXPECT_EQ(lost, 1);
  std::lock_guard lock(m);
  EXPECT_EQ(which, job.id);
  EXPECT_EQ(JobQueue(db()).get(job.id)->lease_owner, "worker-b");
}

TEST_F(Queue, OneJobOfAnAccountRunsAtATimeAcrossWorkers) {
  const Job first = queued("first");
  std::this_thread::sleep_for(5ms);
  const Job second = queued("second");  // the same plugin and account
  std::this_thread::sleep_for(5ms);
  const Job other = queued("other", "plugin-b");
  JobQueue a(db()), b(db());
  ASSERT_EQ(a.claim("worker-a", 60000)->job.id, first.id);
  auto next = b.claim("worker-b", 60000);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->job.id, other.id) << "the account's second job waits; another's does not";
  EXPECT_FALSE(b.claim("worker-b", 60000));
  // worker-a's lease lapses: its job is taken over first, and still the second waits.
  ASSERT_TRUE(a.renew(first.id, "worker-a", 1));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(b.claim("worker-b", 60000)->job.id, first.id);
  EXPECT_FALSE(a.claim("worker-a", 60000));
  ASSERT_TRUE(b.finish(first.id, "worker-b", "done"));
  EXPECT_EQ(a.claim("worker-a", 60000)->job.id, second.id);
}

// Worker processes claim at once, each job at most once: lease long enough that none
// lapses, so a second claim of any job would be a double claim.
TEST_F(Queue, WorkerProcessesNeverClaimOneJobTwice) {
  constexpr int kJobs = 60, kWorkers = 4;
  {
    JobQueue q(db());
    for (int k = 0; k < kJobs; ++k)
      ASSERT_TRUE(q.enqueue_slot(schedule("steps", "plugin-" + std::to_string(k)), k, k));
  }
  std::vector<pid_t> workers;
  for (int w = 0; w < kWorkers; ++w) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int code = 0;
      try {
        JobQueue q(db());
        std::ofstream out(dir_ / ("claims-" + std::to_string(w)));
        const std::string me = "worker-" + std::to_string(w);
        while (auto c = q.claim(me, 60000)) out << c->job.id << "\n" << std::flush;
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    ASSERT_GT(pid, 0);
    workers.push_back(pid);
  }
  for (pid_t pid : workers) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::map<std::string, int> claims;
  for (int w = 0; w < kWorkers; ++w) {
    std::ifstream in(dir_ / ("claims-" + std::to_string(w)));
    for (std::string id; std::getline(in, id);) ++claims[id];
  }
  EXPECT_EQ(claims.size(), static_cast<size_t>(kJobs));
  for (auto &[id, n] : claims) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(count("state = 'running' AND attempts = 1"), kJobs);
}

TEST_F(Queue, AStoreOfVersion8UpgradesItsUnfinishedRunsIntoJobs) {
  store_.reset();
  const fs::path old_dir = dir_ / "old";
  fs::create_directories(old_dir);
  const fs::path file = old_dir / "automuse.db";
  {
    store::Db raw(file);
    store::migrate(raw, 8);
    store::Stmt q(raw,
                  "INSERT INTO job_runs (id, schedule_id, plugin_id, action, attempt, status,"
                  " started_at, request, job_id, owner_pid) VALUES (?, ?, 'fixture-steps',"
                  " 'steps', 1, ?, 100, '{}', ?, 4242)");
    q.bind_all("scheduled-run", "sched-1", "running", "job-1").run();
    q.reset();
    q.bind_all("by-hand-run", std::nullopt, "interrupted", "job-2").run();
    q.reset();
    q.bind_all("done-run", "sched-1", "succeeded", "job-3").run();
  }
  store::Store upgraded(file);
  EXPECT_EQ(upgraded.schema_version(), store::latest_schema_version());
  JobQueue q(file);
  EXPECT_EQ(q.get("job-1")->state, "queued") << "a worker resumes it";
  EXPECT_EQ(q.get("job-2")->state, "interrupted") << "the next identical run resumes it";
  EXPECT_FALSE(q.get("job-3"));
  auto c = q.claim("worker", 60000);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->job.id, "job-1");
  ASSERT_TRUE(c->left);
  EXPECT_EQ(c->left->id, "scheduled-run");
}

}  // namespace
}  // namespace automuse::schedule
