// tests/schedule/daemon_test.cpp — schedules that really fire: run-due runs a missed
// schedule once (not once per missed slot) and records the run; the daemon does the same by
// itself, and stops cleanly on SIGTERM.
#include "host_harness.hpp"
#include "schedule/schedule_store.hpp"

namespace json = boost::json;

namespace {

class Schedules : public automuse::testing::HostHarness {
 protected:
  std::string plugin_dir() const override { return std::string(FIXTURE_ROOT) + "/good"; }
  // A yearly schedule whose last firing is backdated three years: three slots were missed.
  std::string missed_schedule() {
    EXPECT_EQ(host("accounts add --plugin fixture-good --nickname bob").first, 0);
    EXPECT_EQ(
        host("schedule add --plugin fixture-good --account bob --action echo --cron '0 0 1 1 *'")
            .first,
        0);
    auto list = json::parse(host("schedule list --json").second).as_array();
    EXPECT_EQ(list.size(), 1u);
    std::string id(list.at(0).at("id").as_string());
    automuse::schedule::ScheduleStore store(store_location());
    store.set_last_fire(id, automuse::schedule::now_seconds() - 3 * 366 * 24 * 3600);
    return id;
  }
};

}  // namespace

TEST_F(Schedules, RunDueRunsAMissedScheduleOnceAndRecordsIt) {
  std::string id = missed_schedule();
  auto [code, out] = host("run-due");
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("ran 1 due schedule"), std::string::npos) << out;
  auto r = runs();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("schedule"), json::value(id));
  EXPECT_EQ(r[0].at("status"), "succeeded");
  EXPECT_EQ(r[0].at("attempt"), 1);
  EXPECT_TRUE(r[0].at("finished_at").is_int64());
  // Nothing is due any more: the three missed slots were one run.
  EXPECT_NE(host("run-due").second.find("ran 0 due schedules"), std::string::npos);
  EXPECT_EQ(runs().size(), 1u);
  // A paused schedule does not run.
  automuse::schedule::ScheduleStore store(store_location());
  store.set_last_fire(id, automuse::schedule::now_seconds() - 400 * 24 * 3600);
  EXPECT_EQ(host("schedule pause " + id.substr(0, 8)).first, 0);
  EXPECT_NE(host("run-due").second.find("ran 0 due schedules"), std::string::npos);
  EXPECT_EQ(host("schedule resume " + id.substr(0, 8)).first, 0);
  EXPECT_NE(host("run-due").second.find("ran 1 due schedule"), std::string::npos);
  EXPECT_EQ(host("schedule remove " + id).first, 0);
  EXPECT_EQ(json::parse(host("schedule list --json").second).as_array().size(), 0u);
}

TEST_F(Schedules, DaemonFiresByItselfAndStopsOnSigterm) {
  missed_schedule();
  start("daemon");
  json::array r;
  EXPECT_TRUE(eventually([&] {
    r = runs();
    return !r.empty() && r[0].at("status") != "running";
  }));
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(std::chrono::seconds(20)), 0);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("status"), "succeeded");
  EXPECT_EQ(runs().size(), 1u) << "one run for three missed slots";
  EXPECT_NE(log_text().find("daemon: stopped"), std::string::npos) << log_text();
}
