// tests/schedule/shutdown_test.cpp — jobs that fail, stop and resume, through automuse-host
// and the fixture-steps plugin: a job that fails twice (transiently) then succeeds; SIGTERM
// during a job lets it finish within the grace period; past the grace period it is cancelled,
// recorded "interrupted", and the next daemon start resumes it under the same job identity
// (its finished steps are not redone); a second signal cancels at once; `run --accounts all`
// interrupted by SIGINT resumes on the next identical run.
#include <map>

#include "steps_harness.hpp"

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

using Shutdown = automuse::testing::StepsHarness;

}  // namespace

TEST_F(Shutdown, AJobThatFailsTwiceTransientlyThenSucceeds) {
  write_config(R"({"schedule": {"retry_base_seconds": 0.05, "max_attempts": 3}})");
  add_account("wobbly", "--set fail_times=2");
  add_account("broken", "--set fail_times=9");
  std::string wobbly = due_schedule("wobbly", "flaky");
  std::string broken = due_schedule("broken", "flaky");
  auto [code, out] = host("run-due");
  EXPECT_EQ(code, 1) << "the broken schedule failed all its attempts: " << out;
  EXPECT_NE(out.find("ran 2 due schedules"), std::string::npos) << out;
  std::map<std::string, std::vector<json::object>> by_schedule;  // oldest attempt first
  auto rows = runs();
  for (auto it = rows.rbegin(); it != rows.rend(); ++it)
    by_schedule[std::string(it->at("schedule").as_string())].push_back(it->as_object());
  ASSERT_EQ(by_schedule[wobbly].size(), 3u);
  ASSERT_EQ(by_schedule[broken].size(), 3u) << "schedule.max_attempts is 3";
  std::set<std::pair<int64_t, std::string>> seen;
  for (auto &r : by_schedule[wobbly])
    seen.insert({r.at("attempt").as_int64(), std::string(r.at("status").as_string())});
  EXPECT_EQ(seen, (std::set<std::pair<int64_t, std::string>>{
                      {1, "failed"}, {2, "failed"}, {3, "succeeded"}}));
  for (auto &r : by_schedule[wobbly]) {
    if (r.at("status") == "failed")
      EXPECT_NE(std::string(r.at("error").as_string()).find("transient failure"),
                std::string::npos);
    else
      EXPECT_EQ(r.at("result").at("calls"), 3);
  }
  for (auto &r : by_schedule[broken]) EXPECT_EQ(r.at("status"), "failed");
}

TEST_F(Shutdown, SigtermLetsARunningJobFinishWithinTheGracePeriod) {
  add_account("ann", "--set steps=4 --set step_ms=300");
  due_schedule("ann", "steps");
  start("daemon --grace 30");
  ASSERT_TRUE(eventually([&] { return markers().size() >= 1; })) << log_text();
  auto signalled = std::chrono::steady_clock::now();
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(30s), 0) << log_text();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 20s) << "it waited for the job only";
  auto r = runs();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("status"), "succeeded");
  EXPECT_EQ(ints(r[0].at("result").at("ran")), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_NE(log_text().find("taking no new jobs"), std::string::npos) << log_text();
}

TEST_F(Shutdown, PastTheGracePeriodAJobIsInterruptedAndTheNextStartResumesIt) {
  add_account("bea", "--set steps=8 --set step_ms=300");
  std::string schedule = due_schedule("bea", "steps");
  start("daemon --grace 0.4");
  ASSERT_TRUE(eventually([&] { return markers().size() >= 2; })) << log_text();
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(20s), 0) << log_text();
  auto r = runs();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("status"), "interrupted");
  EXPECT_EQ(r[0].at("schedule"), json::value(schedule));
  const std::string interrupted_id(r[0].at("id").as_string());
  // The finished steps are safe points: whole marker files, none half-written.
  auto done = markers();
  ASSERT_GE(done.size(), 2u);
  ASSERT_LT(done.size(), 8u) << "the job was stopped, not finished";
  for (auto &m : done) EXPECT_EQ(m.find(".tmp"), std::string::npos) << m;
  EXPECT_NE(log_text().find("the grace period is over"), std::string::npos) << log_text();

  // Restart: the schedule is not due (its slot was taken), but the interrupted run is.
  start("daemon --grace 5");
  auto row = [&](const json::array &rows, bool the_old_one) {
    for (auto &r : rows)
      if ((r.at("id") == json::value(interrupted_id)) == the_old_one) return r.as_object();
    return json::object{};
  };
  ASSERT_TRUE(eventually([&] {
    auto rows = runs();
    return rows.size() == 2 && row(rows, false).at("status") == "succeeded";
  })) << log_text();
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(20s), 0) << log_text();
  const json::array after = runs();
  ASSERT_EQ(after.size(), 2u) << "resumed once, and nothing else fired";
  const json::object resumed = row(after, false), old = row(after, true);
  EXPECT_EQ(old.at("status"), "resumed");
  EXPECT_EQ(resumed.at("resume_of"), json::value(interrupted_id));
  EXPECT_EQ(resumed.at("schedule"), json::value(schedule));
  EXPECT_EQ(resumed.at("attempt"), 1) << "an interruption is not a failed attempt";
  // The same job identity: the steps finished before the signal were not redone.
  std::vector<int64_t> expect_resumed, expect_ran;
  for (int64_t k = 1; k <= 8; ++k)
    (k <= static_cast<int64_t>(done.size()) ? expect_resumed : expect_ran).push_back(k);
  EXPECT_EQ(ints(resumed.at("result").at("resumed")), expect_resumed);
  EXPECT_EQ(ints(resumed.at("result").at("ran")), expect_ran);
  EXPECT_EQ(done.begin()->substr(0, done.begin()->find('/')),
            std::string(resumed.at("result").at("job").as_string()));
  EXPECT_TRUE(markers().empty()) << "a finished job leaves nothing to resume";
}

TEST_F(Shutdown, ASecondSignalCancelsAtOnce) {
  add_account("cid", "--set steps=100 --set step_ms=300");
  due_schedule("cid", "steps");
  start("daemon --grace 120");
  ASSERT_TRUE(eventually([&] { return markers().size() >= 1; })) << log_text();
  signal(SIGTERM);
  // The grace period is two minutes: the daemon is still waiting for the job.
  EXPECT_EQ(wait_exit(700ms), std::nullopt) << log_text();
  auto second = std::chrono::steady_clock::now();
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(20s), 0) << log_text();
  EXPECT_LT(std::chrono::steady_clock::now() - second, 10s);
  auto r = runs();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("status"), "interrupted");
  EXPECT_NE(log_text().find("second SIGTERM"), std::string::npos) << log_text();
}

TEST_F(Shutdown, RunForAllAccountsInterruptedBySigintResumesOnTheNextRun) {
  write_config(R"({"schedule": {"grace_seconds": 0.3}})");
  add_account("dan", "--set steps=6 --set step_ms=300");
  add_account("eve", "--set steps=7 --set step_ms=300");
  start("--plugin fixture-steps steps --accounts all");
  ASSERT_TRUE(eventually([&] { return jobs_with_finished_steps() == 2; })) << log_text();
  signal(SIGINT);
  EXPECT_EQ(wait_exit(20s), 130) << log_text();
  const std::string out = read(root_ / "out.txt");
  size_t lines = 0;
  for (size_t p = out.find("\"status\":\"interrupted\""); p != std::string::npos;
       p = out.find("\"status\":\"interrupted\"", p + 1))
    ++lines;
  EXPECT_EQ(lines, 2u) << out;
  auto before = runs();
  ASSERT_EQ(before.size(), 2u);
  for (auto &r : before) {
    EXPECT_EQ(r.at("status"), "interrupted");
    EXPECT_TRUE(r.at("schedule").is_null());
  }
  const size_t finished_before = markers().size();

  auto [code, again] = host("--plugin fixture-steps steps --accounts all");
  EXPECT_EQ(code, 0) << again;
  expect_all_resumed(again, finished_before, 2);
}
