// tests/schedule/orphan_test.cpp — runs left "running" by a process that was killed (kill -9:
// no signal handler ran), through automuse-host and the fixture-steps plugin: the next daemon
// records the run interrupted, says so at warning level, and resumes it under the same job
// identity without redoing its finished steps; a second daemon started while the first still
// runs the job leaves it alone; a pid that an unrelated process now carries is not taken for
// the owner (run-due); `run --accounts all` killed mid-run resumes on the next identical run.
#include <signal.h>

#include <sstream>

#include "sqlite/sqlite_db.hpp"
#include "steps_harness.hpp"

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

class Orphans : public automuse::testing::StepsHarness {
 protected:
  // Kills the background host with SIGKILL once `steps` steps are done; returns its pid.
  pid_t kill_after(size_t steps) {
    EXPECT_TRUE(eventually([&] { return finished().size() >= steps; })) << log_text();
    const pid_t pid = child_;
    signal(SIGKILL);
    EXPECT_EQ(wait_exit(10s), -1);
    return pid;
  }
  json::object row(const std::string &id) {
    for (auto &r : runs())
      if (r.at("id") == json::value(id)) return r.as_object();
    ADD_FAILURE() << "no run " << id;
    return {};
  }
  // Points the run's owner at another process, as the database would read after pid reuse.
  void set_owner(const std::string &id, pid_t pid, int64_t start_ticks) {
    automuse::sqlite::Db db(db_file());
    automuse::sqlite::Stmt q(db, "UPDATE job_runs SET owner_pid = ?, owner_start = ? WHERE id = ?");
    q.bind(1, static_cast<int64_t>(pid)).bind(2, start_ticks).bind(3, id).run();
  }
  // An unrelated process that sleeps until the test ends (killed in TearDown).
  pid_t spawn_sleeper() {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl("/bin/sleep", "sleep", "60", static_cast<char *>(nullptr));
      ::_exit(127);
    }
    sleepers_.push_back(pid);
    return pid;
  }
  void TearDown() override {
    for (pid_t pid : sleepers_) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    StepsHarness::TearDown();
  }
  std::vector<pid_t> sleepers_;
  // The resumed run finished the job: the steps done before the kill were not run again.
  void expect_resumed(const json::object &resumed, const std::set<std::string> &done,
                      int64_t steps) {
    std::vector<int64_t> expect_resumed, expect_ran;
    for (int64_t k = 1; k <= steps; ++k)
      (k <= static_cast<int64_t>(done.size()) ? expect_resumed : expect_ran).push_back(k);
    EXPECT_EQ(ints(resumed.at("result").at("resumed")), expect_resumed);
    EXPECT_EQ(ints(resumed.at("result").at("ran")), expect_ran);
    EXPECT_EQ(done.begin()->substr(0, done.begin()->find('/')),
              std::string(resumed.at("result").at("job").as_string()))
        << "the same job identity";
  }
};

TEST_F(Orphans, ADaemonKilledMidJobIsResumedByTheNextDaemon) {
  add_account("kim", "--set steps=8 --set step_ms=300");
  const std::string schedule = due_schedule("kim", "steps");
  start("daemon --grace 5");
  const pid_t killed = kill_after(2);
  auto before = runs();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].at("status"), "running") << "nobody recorded the end of a killed run";
  EXPECT_EQ(before[0].at("owner_pid"), killed);
  const std::string old_id(before[0].at("id").as_string());
  const auto done = finished();
  ASSERT_LT(done.size(), 8u);

  start("daemon --grace 5");
  ASSERT_TRUE(eventually([&] {
    auto rows = runs();
    return rows.size() == 2 && rows[0].at("status") == "succeeded";
  })) << log_text();
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(20s), 0) << log_text();

  const json::object old = row(old_id);
  EXPECT_EQ(old.at("status"), "resumed");
  EXPECT_NE(std::string(old.at("error").as_string())
                .find("left running by process " + std::to_string(killed)),
            std::string::npos)
      << old;
  json::object resumed;
  for (auto &r : runs())
    if (r.at("id") != json::value(old_id)) resumed = r.as_object();
  EXPECT_EQ(resumed.at("resume_of"), json::value(old_id));
  EXPECT_EQ(resumed.at("schedule"), json::value(schedule));
  EXPECT_EQ(resumed.at("attempt"), 1);
  expect_resumed(resumed, done, 8);
  const std::string log = log_text();
  const size_t warning = log.find("run " + old_id.substr(0, 8) + " (fixture-steps steps for kim");
  ASSERT_NE(warning, std::string::npos) << log;
  const std::string line =
      log.substr(log.rfind('\n', warning) + 1, log.find('\n', warning) - log.rfind('\n', warning));
  EXPECT_NE(line.find("warn"), std::string::npos) << line;
  EXPECT_NE(line.find("recorded interrupted"), std::string::npos) << line;
  EXPECT_TRUE(markers().empty()) << "the job finished";
}

TEST_F(Orphans, ASecondLiveDaemonDoesNotTakeARunningJob) {
  add_account("lou", "--set steps=10 --set step_ms=300");
  due_schedule("lou", "steps");
  start("daemon --grace 30");
  ASSERT_TRUE(eventually([&] { return finished().size() >= 1; })) << log_text();
  const pid_t second = spawn("daemon --grace 1", "second-out.txt", "second-log.txt");
  ASSERT_TRUE(eventually([&] {
    return read(root_ / "second-log.txt").find("daemon: started") != std::string::npos;
  })) << read(root_ / "second-log.txt");
  std::this_thread::sleep_for(500ms);  // its first pass over runs and schedules is done
  auto during = runs();
  ASSERT_EQ(during.size(), 1u) << "the second daemon started nothing";
  EXPECT_EQ(during[0].at("status"), "running");
  EXPECT_EQ(during[0].at("owner_pid"), child_) << "still the first daemon's";
  // The first daemon finishes its job in its grace period: nothing was taken from it.
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(30s), 0) << log_text();
  ::kill(second, SIGTERM);
  EXPECT_EQ(wait_pid(second, 20s), 0) << read(root_ / "second-log.txt");
  auto after = runs();
  ASSERT_EQ(after.size(), 1u) << read(root_ / "second-log.txt");
  EXPECT_EQ(after[0].at("status"), "succeeded");
  EXPECT_EQ(ints(after[0].at("result").at("ran")).size(), 10u) << "every step ran once, there";
  EXPECT_TRUE(ints(after[0].at("result").at("resumed")).empty());
  const std::string second_log = read(root_ / "second-log.txt");
  EXPECT_EQ(second_log.find("left running"), std::string::npos) << second_log;
  EXPECT_EQ(second_log.find("resuming"), std::string::npos) << second_log;
}

TEST_F(Orphans, APidReusedByAnUnrelatedProcessIsNotTheOwner) {
  add_account("max", "--set steps=6 --set step_ms=300");
  due_schedule("max", "steps");
  start("daemon --grace 5");
  kill_after(2);
  const std::string id(runs()[0].at("id").as_string());
  const auto done = finished();
  int64_t killed_start = 0;
  {
    automuse::sqlite::Db db(db_file());
    automuse::sqlite::Stmt q(db, "SELECT owner_start FROM job_runs WHERE id = ?");
    q.bind(1, id);
    ASSERT_TRUE(q.step());
    killed_start = q.int64(0);
  }
  // An unrelated live process, and its start time (field 22 of /proc/PID/stat).
  const pid_t sleeper = spawn_sleeper();
  ASSERT_GT(sleeper, 0);
  std::this_thread::sleep_for(50ms);
  const std::string stat = read("/proc/" + std::to_string(sleeper) + "/stat");
  ASSERT_FALSE(stat.empty());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  for (int k = 3; k <= 22; ++k) fields >> field;
  ASSERT_NE(std::stoll(field), killed_start);

  // Were it the very owner (same pid, same start time), run-due would leave the run alone…
  set_owner(id, sleeper, std::stoll(field));
  auto [code, out] = host("run-due");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("ran 0 due schedules\n"), std::string::npos) << out;
  EXPECT_EQ(row(id).at("status"), "running") << "its owner looks alive: not taken over";

  // …but the row's owner started at the killed daemon's time: the pid was reused since.
  set_owner(id, sleeper, killed_start);
  std::tie(code, out) = host("run-due");
  EXPECT_EQ(code, 0) << out << read(root_ / "stderr.txt");
  EXPECT_NE(out.find("resumed 1 interrupted run"), std::string::npos) << out;
  EXPECT_EQ(::kill(sleeper, 0), 0) << "the unrelated process was left running";
  EXPECT_EQ(row(id).at("status"), "resumed");
  EXPECT_NE(std::string(row(id).at("error").as_string())
                .find("left running by process " + std::to_string(sleeper)),
            std::string::npos);
  for (auto &r : runs())
    if (r.at("id") != json::value(id)) {
      EXPECT_EQ(r.at("status"), "succeeded");
      EXPECT_EQ(r.at("resume_of"), json::value(id));
      expect_resumed(r.as_object(), done, 6);
    }
}

TEST_F(Orphans, RunForAllAccountsKilledResumesOnTheNextRun) {
  add_account("ned", "--set steps=6 --set step_ms=300");
  add_account("ola", "--set steps=7 --set step_ms=300");
  start("--plugin fixture-steps steps --accounts all");
  ASSERT_TRUE(eventually([&] { return jobs_with_finished_steps() == 2; })) << log_text();
  signal(SIGKILL);
  EXPECT_EQ(wait_exit(10s), -1);
  const size_t finished_before = finished().size();
  for (auto &r : runs()) EXPECT_EQ(r.at("status"), "running");

  auto [code, again] = host("--plugin fixture-steps steps --accounts all");
  const std::string log = read(root_ / "stderr.txt");
  EXPECT_EQ(code, 0) << again << log;
  expect_all_resumed(again, finished_before, 2);
  EXPECT_NE(log.find("fixture-steps steps for ned"), std::string::npos) << log;
  EXPECT_NE(log.find("fixture-steps steps for ola"), std::string::npos) << log;
}

}  // namespace
