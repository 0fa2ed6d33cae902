// tests/schedule/daemon_test.cpp — schedules that really fire: run-due runs a missed
// schedule once (not once per missed slot) and records the run; the daemon does the same by
// itself, and stops cleanly on SIGTERM.
#include "schedule/schedule_store.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

class Schedules : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("automuse-sched-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string env() const {
    return "env XDG_DATA_HOME=" + (root_ / "data").string() +
           " XDG_CONFIG_HOME=" + (root_ / "config").string() + " ";
  }
  std::string base() const {
    return std::string(HOST_EXE) + " --plugin-dir " + FIXTURE_ROOT + "/good ";
  }
  std::pair<int, std::string> host(const std::string &args) {
    std::string cmd = env() + base() + args + " 2>>" + (root_ / "stderr.txt").string();
    FILE *p = ::popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  }
  // A yearly schedule whose last firing is backdated three years: three slots were missed.
  std::string missed_schedule() {
    EXPECT_EQ(host("accounts add --plugin fixture-good --nickname bob").first, 0);
    EXPECT_EQ(host("schedule add --plugin fixture-good --account bob --action echo --cron '0 0 1 1 *'").first, 0);
    auto list = json::parse(host("schedule list --json").second).as_array();
    EXPECT_EQ(list.size(), 1u);
    std::string id(list.at(0).at("id").as_string());
    automuse::schedule::ScheduleStore store(root_ / "data/automuse/automuse.db");
    store.set_last_fire(id, automuse::schedule::now_seconds() - 3 * 366 * 24 * 3600);
    return id;
  }
  json::array runs() { return json::parse(host("runs --json").second).as_array(); }
  fs::path root_;
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
  automuse::schedule::ScheduleStore store(root_ / "data/automuse/automuse.db");
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
  std::string cmd = "exec " + env() + base() + "daemon 2>" + (root_ / "daemon.txt").string();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
    ::_exit(127);
  }
  json::array r;
  for (int i = 0; i < 100 && (r.empty() || r[0].at("status") == "running"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    r = runs();
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("status"), "succeeded");
  EXPECT_EQ(runs().size(), 1u) << "one run for three missed slots";
  std::ifstream log(root_ / "daemon.txt");
  std::string text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(text.find("daemon: stopped"), std::string::npos) << text;
}
