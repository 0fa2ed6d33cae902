// tests/schedule/owner_test.cpp — who owns a running job_run: process identity from /proc
// checked against real processes (alive, killed and not yet reaped, reaped, a pid with another
// start time as after pid reuse), another boot or machine; and, on a real SQLite store,
// runs left running by a gone process recorded interrupted once, live owners' runs left alone,
// and a store of schema version 5 upgraded with its rows judged by boot time.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "schedule/orphaned_runs.hpp"
#include "schedule/process_owner.hpp"
#include "schedule/schedule_store.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::schedule {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A child process that sleeps until killed.
pid_t spawn_sleeper() {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sleep", "sleep", "60", static_cast<char *>(nullptr));
    ::_exit(127);
  }
  return pid;
}

ProcessOwner owner_of(pid_t pid) {
  ProcessOwner o = current_process();
  o.pid = pid;
  o.start_ticks = process_start_ticks(pid).value_or(-1);
  return o;
}

TEST(ProcessOwner, ThisProcessIsKnownAndAlive) {
  const ProcessOwner &self = current_process();
  EXPECT_EQ(self.pid, ::getpid());
  EXPECT_GT(self.start_ticks, 0);
  EXPECT_EQ(self.boot_id.size(), 36u) << self.boot_id;
  EXPECT_NE(self.host_id.find("pid:["), std::string::npos) << self.host_id;
  EXPECT_EQ(owner_state(self), OwnerState::alive);
  EXPECT_GT(boot_time_seconds(), 1000000000);
  EXPECT_LE(boot_time_seconds(), now_seconds());
}

TEST(ProcessOwner, AKilledProcessIsGoneEvenBeforeItIsReaped) {
  pid_t child = spawn_sleeper();
  ASSERT_GT(child, 0);
  // Its start time is known as soon as it exists; wait until exec has happened.
  std::this_thread::sleep_for(50ms);
  const ProcessOwner owner = owner_of(child);
  ASSERT_GT(owner.start_ticks, 0);
  EXPECT_EQ(owner_state(owner), OwnerState::alive);
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  // A zombie until waited for: still in /proc, but gone.
  for (int i = 0; i < 100 && process_start_ticks(child); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(process_start_ticks(child), std::nullopt);
  EXPECT_EQ(owner_state(owner), OwnerState::gone);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(owner_state(owner), OwnerState::gone);
}

TEST(ProcessOwner, ALivePidWithAnotherStartTimeIsNotTheOwner) {
  pid_t child = spawn_sleeper();
  ASSERT_GT(child, 0);
  std::this_thread::sleep_for(50ms);
  ProcessOwner reused = owner_of(child);
  reused.start_ticks -= 1;  // the recorded owner started earlier: the pid was reused since
  EXPECT_EQ(owner_state(reused), OwnerState::gone);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

TEST(ProcessOwner, AnotherBootIsGoneAnotherMachineOrNamespaceUnknown) {
  ProcessOwner o = current_process();
  o.boot_id = "00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(owner_state(o), OwnerState::gone) << "this machine restarted since";
  o = current_process();
  o.host_id = "another-machine " + o.host_id.substr(o.host_id.find(' ') + 1);
  o.boot_id = "00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(owner_state(o), OwnerState::unknown);
  o = current_process();
  o.host_id = o.host_id.substr(0, o.host_id.find(' ')) + " pid:[1]";
  EXPECT_EQ(owner_state(o), OwnerState::unknown) << "a container's pids are not ours";
}

class OrphanedRuns : public ::testing::Test {
 protected:
  fs::path db() const { return dir_ / "automuse.db"; }
  JobRun run_of(const std::string &plugin) {
    JobRun r;
    r.plugin_id = plugin;
    r.action = "steps";
    return r;
  }
  // Makes `id` look owned by `owner` (as if another process had started it).
  void set_owner(ScheduleStore &, const std::string &id, const ProcessOwner &owner) {
    sqlite::Db raw(db());
    sqlite::Stmt q(raw,
                   "UPDATE job_runs SET owner_pid = ?, owner_start = ?, owner_boot = ?,"
                   " owner_host = ? WHERE id = ?");
    q.bind(1, owner.pid).bind(2, owner.start_ticks).bind(3, owner.boot_id);
    q.bind(4, owner.host_id).bind(5, id).run();
  }
  JobRun get(ScheduleStore &s, const std::string &id) {
    for (auto &r : s.list_runs(0))
      if (r.id == id) return r;
    ADD_FAILURE() << "no run " << id;
    return {};
  }
  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(OrphanedRuns, OnlyRunsOfGoneOwnersAreInterruptedOnce) {
  store::Store store(db());
  ScheduleStore runs(db());
  const JobRun mine = runs.start_run(run_of("mine"));
  ASSERT_TRUE(mine.owner);
  EXPECT_EQ(mine.owner->pid, ::getpid());

  pid_t live = spawn_sleeper();
  std::this_thread::sleep_for(50ms);
  const JobRun alive = runs.start_run(run_of("alive"));
  set_owner(runs, alive.id, owner_of(live));

  pid_t dead = spawn_sleeper();
  std::this_thread::sleep_for(50ms);
  const JobRun killed = runs.start_run(run_of("killed"));
  set_owner(runs, killed.id, owner_of(dead));
  ::kill(dead, SIGKILL);
  ::waitpid(dead, nullptr, 0);

  const JobRun other = runs.start_run(run_of("elsewhere"));
  ProcessOwner elsewhere = owner_of(live);
  elsewhere.host_id = "another-machine pid:[1]";
  set_owner(runs, other.id, elsewhere);

  EXPECT_EQ(recover_orphaned_runs(runs), 1);
  EXPECT_EQ(get(runs, killed.id).status, "interrupted");
  EXPECT_NE(get(runs, killed.id).error.value_or("").find("process " + std::to_string(dead)),
            std::string::npos);
  EXPECT_TRUE(get(runs, killed.id).finished_at);
  EXPECT_EQ(get(runs, mine.id).status, "running");
  EXPECT_EQ(get(runs, alive.id).status, "running");
  EXPECT_EQ(get(runs, other.id).status, "running");

  // A second process starting at the same time finds nothing left to record.
  ScheduleStore second(db());
  EXPECT_EQ(recover_orphaned_runs(second), 0);
  EXPECT_EQ(recover_orphaned_runs(runs), 0);
  // Once it is interrupted it is resumed like any interrupted run, exactly once.
  EXPECT_TRUE(runs.claim_interrupted(killed.id));
  EXPECT_FALSE(second.claim_interrupted(killed.id));
  ::kill(live, SIGKILL);
  ::waitpid(live, nullptr, 0);
}

TEST_F(OrphanedRuns, AStoreOfVersion5UpgradesAndItsOldRunsAreJudgedByBootTime) {
  {
    store::Db raw(db());
    store::migrate(raw, 5);
    ASSERT_EQ(store::read_schema_version(raw), 5);
    // Written by the previous version: no owner columns.
    store::Stmt q(raw,
                  "INSERT INTO job_runs (id, plugin_id, action, attempt, status, started_at,"
                  " request) VALUES (?, 'fixture-steps', 'steps', 1, 'running', ?, '{}')");
    q.bind(1, "before-boot").bind(2, boot_time_seconds() - 3600).run();
    q.reset();
    q.bind(1, "since-boot").bind(2, now_seconds()).run();
  }
  store::Store store(db());  // migrates to the latest version in place
  EXPECT_EQ(store.schema_version(), store::latest_schema_version());
  ScheduleStore runs(db());
  EXPECT_FALSE(get(runs, "before-boot").owner);
  EXPECT_EQ(recover_orphaned_runs(runs), 1);
  EXPECT_EQ(get(runs, "before-boot").status, "interrupted");
  EXPECT_EQ(get(runs, "since-boot").status, "running")
      << "an older host may still be running it: left alone";
  EXPECT_TRUE(runs.start_run(run_of("new")).owner);
}

TEST_F(OrphanedRuns, ASlotIsFiredByOneProcessOnly) {
  store::Store store(db());
  ScheduleStore a(db()), b(db());
  Schedule s;
  s.plugin_id = "fixture-steps";
  s.action = "steps";
  s.cron = "0 10 * * *";
  s = a.add(s);
  const auto seen = a.get(s.id)->last_fire_at;  // both read the schedule before firing
  EXPECT_TRUE(a.claim_fire(s.id, seen, 1000));
  EXPECT_FALSE(b.claim_fire(s.id, seen, 1001)) << "the second daemon lost the race";
  EXPECT_EQ(b.get(s.id)->last_fire_at, 1000);
  EXPECT_TRUE(b.claim_fire(s.id, 1000, 2000));
}

}  // namespace
}  // namespace automuse::schedule
