// tests/schedule/lease_test.cpp — jobs left by a worker that was killed (SIGKILL: no signal
// handler ran), through automuse-host and the fixture-steps plugin, with a lease of one second:
// the killed worker's lease lapses, the next daemon (or another worker already running) claims
// the job, records the left run resumed, says so at warning level, and resumes it under the
// same job id without redoing its finished steps; a second daemon started while the first
// still runs the job (renewing its lease past its length) leaves it alone; `run --accounts
// all` killed mid-run resumes on the next identical run once the leases lapse.
#include <signal.h>

#include <algorithm>
#include <sstream>

#include "steps_harness.hpp"
#include "support/postgres_server.hpp"

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char *kTinyLeases = R"({"queue": {"lease_seconds": 1, "poll_seconds": 0.1}})";

class Leases : public automuse::testing::StepsHarness {
 protected:
  void SetUp() override { write_config(kTinyLeases); }
  // Kills the background host with SIGKILL once `steps` steps are done.
  void kill_after(size_t steps) {
    EXPECT_TRUE(eventually([&] { return finished().size() >= steps; })) << log_text();
    signal(SIGKILL);
    EXPECT_EQ(wait_exit(10s), -1);
  }
  json::object row(const std::string &id) {
    for (auto &r : runs())
      if (r.at("id") == json::value(id)) return r.as_object();
    ADD_FAILURE() << "no run " << id;
    return {};
  }
  // The worker id of process `pid` (host:PID:random) is the one in `worker`.
  static bool worker_of(const json::value &worker, pid_t pid) {
    return worker.is_string() &&
           std::string(worker.as_string()).find(":" + std::to_string(pid) + ":") !=
               std::string::npos;
  }
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

TEST_F(Leases, ADaemonKilledMidJobIsResumedByTheNextDaemon) {
  add_account("kim", "--set steps=8 --set step_ms=300");
  const std::string schedule = due_schedule("kim", "steps");
  start("daemon --grace 5");
  const pid_t killed = child_;
  kill_after(2);
  auto before = runs();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].at("status"), "running") << "nobody recorded the end of a killed run";
  EXPECT_TRUE(worker_of(before[0].at("worker"), killed)) << before[0];
  EXPECT_TRUE(worker_of(before[0].at("lease_owner"), killed)) << before[0];
  const std::string old_id(before[0].at("id").as_string());
  const std::string worker(before[0].at("worker").as_string());
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
  EXPECT_NE(std::string(old.at("error").as_string()).find("left running by worker " + worker),
            std::string::npos)
      << old;
  json::object resumed;
  for (auto &r : runs())
    if (r.at("id") != json::value(old_id)) resumed = r.as_object();
  EXPECT_EQ(resumed.at("resume_of"), json::value(old_id));
  EXPECT_EQ(resumed.at("job_id"), old.at("job_id"));
  EXPECT_EQ(resumed.at("schedule"), json::value(schedule));
  EXPECT_EQ(resumed.at("attempt"), 1);
  expect_resumed(resumed, done, 8);
  const std::string log = log_text();
  const size_t warning = log.find("resuming its running run " + old_id.substr(0, 8));
  ASSERT_NE(warning, std::string::npos) << log;
  const std::string line =
      log.substr(log.rfind('\n', warning) + 1, log.find('\n', warning) - log.rfind('\n', warning));
  EXPECT_NE(line.find("warn"), std::string::npos) << line;
  EXPECT_NE(line.find("fixture-steps steps, schedule " + schedule.substr(0, 8)), std::string::npos)
      << line;
  EXPECT_NE(line.find("left by worker " + worker), std::string::npos) << line;
  EXPECT_TRUE(markers().empty()) << "the job finished";
}

TEST_F(Leases, ASecondLiveDaemonDoesNotTakeARunningJob) {
  add_account("lou", "--set steps=10 --set step_ms=300");
  due_schedule("lou", "steps");
  start("daemon --grace 30");
  ASSERT_TRUE(eventually([&] { return finished().size() >= 1; })) << log_text();
  const pid_t second = spawn("daemon --grace 1", "second-out.txt", "second-log.txt");
  ASSERT_TRUE(eventually([&] {
    return read(root_ / "second-log.txt").find("daemon: started") != std::string::npos;
  })) << read(root_ / "second-log.txt");
  // The job runs three seconds, three lease lengths: its lease is renewed meanwhile, and the
  // second daemon looks for jobs ten times a second.
  std::this_thread::sleep_for(1500ms);
  auto during = runs();
  ASSERT_EQ(during.size(), 1u) << "the second daemon started nothing";
  EXPECT_EQ(during[0].at("status"), "running");
  EXPECT_TRUE(worker_of(during[0].at("lease_owner"), child_)) << "still the first daemon's";
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
  EXPECT_EQ(second_log.find("resuming"), std::string::npos) << second_log;
  EXPECT_EQ(log_text().find("lost the lease"), std::string::npos) << log_text();
}

TEST_F(Leases, AWorkerKilledMidJobIsResumedByAnotherWorker) {
  // Twenty steps (six seconds): the job is still running while the test looks at it through
  // three CLI calls and kills worker A, even when a loaded machine makes each call slow.
  add_account("max", "--set steps=20 --set step_ms=300");
  due_schedule("max", "steps");
  start("daemon --slots 0");  // only enqueues
  const pid_t a = spawn("worker --slots 1", "a-out.txt", "a-log.txt");
  ASSERT_TRUE(eventually([&] { return finished().size() >= 2; })) << read(root_ / "a-log.txt");
  // Another worker is already waiting: the job is worker A's while its lease is live.
  const pid_t b = spawn("worker --slots 1", "b-out.txt", "b-log.txt");
  auto [code, jobs] = host("jobs --json");
  ASSERT_EQ(code, 0);
  const json::array open = json::parse(jobs).as_array();
  ASSERT_EQ(open.size(), 1u) << jobs;
  EXPECT_EQ(open[0].at("state"), "running");
  EXPECT_TRUE(worker_of(open[0].at("lease_owner"), a)) << jobs;
  const std::string text = host("runs").second;  // as a person reads it
  EXPECT_NE(text.find("jobs queued or running:"), std::string::npos) << text;
  EXPECT_NE(text.find("running  held by " + std::string(open[0].at("lease_owner").as_string())),
            std::string::npos)
      << text;
  ::kill(a, SIGKILL);
  EXPECT_EQ(wait_pid(a, 10s), -1);
  const auto done = finished();

  ASSERT_TRUE(eventually([&] {
    auto rows = runs();
    return rows.size() == 2 && rows[0].at("status") == "succeeded";
  })) << read(root_ / "b-log.txt");
  auto rows = runs();
  EXPECT_TRUE(worker_of(rows[0].at("worker"), b)) << rows[0];
  EXPECT_EQ(rows[1].at("status"), "resumed");
  EXPECT_EQ(rows[0].at("job_id"), rows[1].at("job_id"));
  expect_resumed(rows[0].as_object(), done, 20);
  EXPECT_EQ(json::parse(host("jobs --json").second).as_array().size(), 0u) << "the job is done";
  ::kill(b, SIGTERM);
  EXPECT_EQ(wait_pid(b, 20s), 0) << read(root_ / "b-log.txt");
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(20s), 0) << log_text();
}

// An outage of the database under a running worker (PostgreSQL: a restart, a failover): its
// connections are dropped and refused for a while. It says so once, keeps polling, reconnects
// when the database is back, and runs the job a daemon enqueues then, in the same process.
TEST_F(Leases, AWorkerOnPostgresOutlivesAnOutageOfTheDatabase) {
  auto &server = automuse::testing::PostgresServer::get();
  const std::string url = server.fresh_database();
  write_config(R"({"queue": {"lease_seconds": 1, "poll_seconds": 0.1}, "store": {"url": ")" + url +
               R"("}})");
  add_account("ola", "--set steps=3 --set step_ms=100");
  const pid_t worker = spawn("worker --slots 1", "w-out.txt", "w-log.txt");
  ASSERT_TRUE(eventually([&] {
    return read(root_ / "w-log.txt").find("worker: started") != std::string::npos;
  })) << read(root_ / "w-log.txt");

  server.cut_off(url);
  // The worker polls ten times a second: it meets the outage at once.
  ASSERT_TRUE(eventually([&] {
    return read(root_ / "w-log.txt").find("cannot take jobs from the store") != std::string::npos;
  })) << read(root_ / "w-log.txt");
  server.restore(url);

  auto [code, out] =
      host("schedule add --plugin fixture-steps --account ola --action steps --preset daily");
  ASSERT_EQ(code, 0) << out;
  const json::value list = json::parse(host("schedule list --json").second);
  const std::string schedule(list.as_array().at(0).at("id").as_string());
  automuse::schedule::ScheduleStore(automuse::store::Location::postgresql(url))
      .set_last_fire(schedule, automuse::schedule::now_seconds() - 2 * 24 * 3600);
  start("daemon --slots 0");
  ASSERT_TRUE(eventually(
      [&] {
        auto rows = runs();
        return rows.size() == 1 && rows[0].at("status") == "succeeded";
      },
      60s))
      << read(root_ / "w-log.txt") << log_text();
  EXPECT_TRUE(worker_of(runs()[0].at("worker"), worker)) << "the same worker process";
  const std::string worker_log = read(root_ / "w-log.txt");
  EXPECT_NE(worker_log.find("the store answers again"), std::string::npos) << worker_log;
  EXPECT_EQ(worker_log.find("cannot take jobs"), worker_log.rfind("cannot take jobs"))
      << "said once per outage";
  ::kill(worker, SIGTERM);
  EXPECT_EQ(wait_pid(worker, 20s), 0) << read(root_ / "w-log.txt");
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(20s), 0) << log_text();
}

// The per-host limits hold within a worker process: limits.network_jobs bounds its jobs in
// flight below its slots, and its slots bound them below the limit.
TEST_F(Leases, AWorkerKeepsThePerHostLimits) {
  std::vector<std::string> schedules;
  for (int a = 0; a < 4; ++a) {
    add_account("acc" + std::to_string(a), "--set steps=2 --set step_ms=250");
    schedules.push_back(due_schedule("acc" + std::to_string(a), "steps"));
  }
  // Enqueues the four due slots (a daemon that runs none), waits for them in the queue, then
  // runs a worker with ARGS until `total` runs succeeded: the most of this round's jobs open at
  // one instant, from the [start, end] of their results.
  auto peak = [&](const std::string &args, size_t total) {
    start("daemon --slots 0");
    EXPECT_TRUE(eventually([&] {
      return json::parse(host("jobs --json").second).as_array().size() == 4;
    })) << log_text();
    const pid_t worker = spawn(args, "worker-out.txt", "worker-log.txt");
    json::array rows;
    EXPECT_TRUE(eventually([&] {
      rows = runs();
      size_t done = 0;
      for (auto &r : rows) done += r.at("status") == "succeeded";
      return done == total;
    })) << read(root_ / "worker-log.txt");
    ::kill(worker, SIGTERM);
    EXPECT_EQ(wait_pid(worker, 20s), 0);
    signal(SIGTERM);
    EXPECT_EQ(wait_exit(20s), 0);
    std::vector<std::pair<int64_t, int>> edges;
    for (size_t k = 0; k < 4 && k < rows.size(); ++k) {  // newest first: this round's
      edges.push_back({rows[k].at("result").at("start").as_int64(), 1});
      edges.push_back({rows[k].at("result").at("end").as_int64(), -1});
    }
    std::sort(edges.begin(), edges.end());  // an end before a start at the same instant
    int open = 0, most = 0;
    for (auto &[t, d] : edges) most = std::max(most, open += d);
    return most;
  };
  write_config(R"({"queue": {"lease_seconds": 1, "poll_seconds": 0.1},
                   "limits": {"network_jobs": 2}})");
  EXPECT_EQ(peak("worker --slots 4", 4), 2) << "limits.network_jobs binds below the slots";

  write_config(kTinyLeases);  // limits.network_jobs 16
  // Further back than before: an earlier slot (the last one already ran, and a slot is one job).
  automuse::schedule::ScheduleStore store(store_location());
  for (auto &id : schedules) store.set_last_fire(id, automuse::schedule::now_seconds() - 4 * 86400);
  EXPECT_EQ(peak("worker --slots 1", 8), 1) << "one slot: one job at a time";
}

TEST_F(Leases, RunForAllAccountsKilledResumesOnTheNextRun) {
  add_account("ned", "--set steps=6 --set step_ms=300");
  add_account("ola", "--set steps=7 --set step_ms=300");
  start("--plugin fixture-steps steps --accounts all");
  ASSERT_TRUE(eventually([&] { return jobs_with_finished_steps() == 2; })) << log_text();
  signal(SIGKILL);
  EXPECT_EQ(wait_exit(10s), -1);
  const size_t finished_before = finished().size();
  for (auto &r : runs()) EXPECT_EQ(r.at("status"), "running");
  std::this_thread::sleep_for(1200ms);  // the killed run's leases lapse

  auto [code, again] = host("--plugin fixture-steps steps --accounts all");
  const std::string log = read(root_ / "stderr.txt");
  EXPECT_EQ(code, 0) << again << log;
  expect_all_resumed(again, finished_before, 2);
  EXPECT_NE(log.find("fixture-steps for ned"), std::string::npos) << log;
  EXPECT_NE(log.find("fixture-steps for ola"), std::string::npos) << log;
}

}  // namespace
