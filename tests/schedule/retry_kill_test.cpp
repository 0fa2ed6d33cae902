// tests/schedule/retry_kill_test.cpp — a daemon killed (SIGKILL) while a transient failure's
// retry waits for its backoff does not lose the slot: the waiting attempt is a "retrying" row
// of a job the daemon holds under a lease; the lease lapses, the next start claims the job,
// records the row resumed and continues it, and the slot ends with one success.
#include "steps_harness.hpp"

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

using RetryKill = automuse::testing::StepsHarness;

json::array with_status(const json::array &rows, const char *status) {
  json::array out;
  for (const auto &r : rows)
    if (r.at("status") == status) out.push_back(r);
  return out;
}

}  // namespace

TEST_F(RetryKill, ARetryWaitingWhenTheDaemonIsKilledIsResumedByTheNextStart) {
  write_config(R"({"schedule": {"retry_base_seconds": 60, "max_attempts": 3},
                   "queue": {"lease_seconds": 1, "poll_seconds": 0.1}})");
  add_account("wobbly", "--set fail_times=1");
  const std::string schedule = due_schedule("wobbly", "flaky");
  start("daemon --grace 5");
  json::array rows;
  ASSERT_TRUE(eventually([&] {
    rows = runs();
    return with_status(rows, "retrying").size() == 1;
  })) << log_text();
  const json::value waiting = with_status(rows, "retrying").at(0);
  EXPECT_EQ(waiting.at("attempt"), 2);
  EXPECT_EQ(with_status(rows, "failed").size(), 1u);
  signal(SIGKILL);
  wait_exit(10s);

  start("daemon --grace 5");
  ASSERT_TRUE(eventually([&] {
    rows = runs();
    return with_status(rows, "succeeded").size() == 1;
  })) << log_text();
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(20s), 0) << log_text();

  rows = runs();
  ASSERT_EQ(rows.size(), 3u) << json::serialize(rows);
  const json::value done = with_status(rows, "succeeded").at(0);
  EXPECT_EQ(done.at("schedule"), json::value(schedule));
  EXPECT_EQ(done.at("attempt"), 2);
  EXPECT_EQ(done.at("resume_of"), waiting.at("id"));
  EXPECT_EQ(done.at("result").at("calls"), 2);
  const json::value resumed = with_status(rows, "resumed").at(0);
  EXPECT_EQ(resumed.at("id"), waiting.at("id"));
  EXPECT_NE(std::string(resumed.at("error").as_string()).find("left running by worker"),
            std::string::npos)
      << resumed;
}
