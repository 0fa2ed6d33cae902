// tests/queue/workers_test.cpp — one daemon that only enqueues (`daemon --slots 0`) and three
// `worker` processes on one store run the slots of YouTube schedules for several accounts
// against the loopback fakes (OAuth, the resumable upload, an LLM), with tiny renders
// (160x284, one sentence). Midway one worker holding a job is SIGKILLed and a new one started:
// its lease lapses, another worker resumes the job under the same job id. Every slot is
// published exactly once, none is lost: counted at the fake and in the publication ledger.
//
// The store is a parameter: AUTOMUSE_QUEUE_TEST_STORE_URL (a `store.url`, e.g. a
// postgresql:// URL; unset, the sandbox's SQLite file), AUTOMUSE_QUEUE_TEST_SLOTS (12) and
// AUTOMUSE_QUEUE_TEST_ACCOUNTS (3).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "schedule/schedule_store.hpp"
#include "soak/soak_world.hpp"
#include "store/database.hpp"
#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/postgres_server.hpp"
#include "support/sandbox_store.hpp"
#include "support/temp_folder.hpp"
#include "support/youtube/fake_youtube_upload.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using automuse::testing::HostResult;

constexpr const char *kClientId = "5678-queue.apps.googleusercontent.com";
constexpr const char *kClientSecret = "GOCSPX-queue-secret";

int env_int(const char *name, int fallback) {
  const char *v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// The store every process shares: its config fragment, and how the test backdates schedules.
struct StoreParam {
  std::string url;  // "" for the sandbox's SQLite file
  static StoreParam from_env() {
    const char *url = std::getenv("AUTOMUSE_QUEUE_TEST_STORE_URL");
    return {url ? url : ""};
  }
};

class Workers : public ::testing::Test {
 protected:
  void SetUp() override {
    slots_ = env_int("AUTOMUSE_QUEUE_TEST_SLOTS", 12);
    accounts_ = env_int("AUTOMUSE_QUEUE_TEST_ACCOUNTS", 3);
    ASSERT_EQ(slots_ % accounts_, 0) << "slots are shared evenly among the accounts";
    for (int a = 0; a < accounts_; ++a) oauth_.add_refresh_token(refresh_token(a));
    write_config();
  }
  void TearDown() override {
    for (pid_t pid : children_) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }

  static std::string nickname(int a) { return "yt-" + std::to_string(a); }
  static std::string refresh_token(int a) { return "1//queue-rt-" + std::to_string(a); }

  void write_config() {
    json::object config{
        {"plugins",
         {{"youtube",
           {{"client_id", kClientId},
            {"client_secret", kClientSecret},
            {"token_url", oauth_.token_url()},
            {"upload_url", yt_.upload_url()},
            {"chunk_kib", 256},
            {"max_duration", 10}}}}},
        {"llm", llm_.host_config()},
        {"schedule", {{"retry_base_seconds", 1}, {"max_attempts", 4}, {"grace_seconds", 5}}},
        // Leases lapse two seconds after a worker dies; idle workers look every 200 ms.
        {"queue", {{"lease_seconds", 2}, {"poll_seconds", 0.2}}},
        {"log", {{"file", false}}}};
    if (!store_.url.empty()) config["store"] = json::object{{"url", store_.url}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }

  HostResult host(const std::string &args) const {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                       args);
  }
  json::array host_json(const std::string &args) const {
    auto r = host(args);
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    json::error_code ec;
    auto v = json::parse(r.out, ec);
    return !ec && v.is_array() ? v.as_array() : json::array{};
  }

  // Starts `automuse-host ARGS` in the background, output appended to NAME.log.
  pid_t spawn(const std::string &args, const std::string &name) {
    automuse::testing::use_test_store(root_);
    const std::string cmd = "exec env XDG_DATA_HOME=" + (root_ / "data").string() +
                            " XDG_CONFIG_HOME=" + (root_ / "config").string() + " " +
                            automuse::testing::host_exe(HOST_EXE) + " --plugin-dir " + PLUGIN_DIR +
                            " --config " + (root_ / "automuse.json").string() + " " + args + " >>" +
                            (root_ / (name + ".log")).string() + " 2>&1 </dev/null";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
      ::_exit(127);
    }
    children_.push_back(pid);
    return pid;
  }
  int stop(pid_t pid, int sig) {
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::erase(children_, pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  std::string logs() const {
    std::string out;
    for (auto &e : fs::directory_iterator(root_))
      if (e.path().extension() == ".log")
        out += "== " + e.path().filename().string() + "\n" + automuse::testing::read_file(e.path());
    return out;
  }

  // Accounts, and slots_/accounts_ yearly schedules each, as a user adds them; then every
  // schedule is backdated so that it has one slot due now.
  void set_up_schedules() {
    for (int a = 0; a < accounts_; ++a) {
      auto r = host("accounts add --plugin youtube --nickname " + nickname(a) +
                    " --set niche='queue slot " + std::to_string(a) +
                    "' --set refresh_token=" + refresh_token(a) + " --set image_providers=cards");
      ASSERT_EQ(r.code, 0) << r.err;
      for (int k = 0; k < slots_ / accounts_; ++k) {
        r = host("schedule add --plugin youtube --account " + nickname(a) +
                 " --action run --cron '0 0 1 1 *' --option publish=youtube --option width=160"
                 " --option height=284 --option sentences=1");
        ASSERT_EQ(r.code, 0) << r.err;
      }
    }
    backdate_schedules();
  }
  // Through the schedules table of the store (the sandbox's, wherever the host keeps it; with a
  // store URL, the same ScheduleStore over that store).
  void backdate_schedules() {
    automuse::schedule::ScheduleStore schedules(
        store_.url.empty() ? automuse::testing::sandbox_store(root_)
                           : automuse::store::Location::postgresql(store_.url));
    for (auto &s : schedules.list())
      schedules.set_last_fire(s.id, automuse::schedule::now_seconds() - 2 * 366 * 24 * 3600);
  }

  // Published YouTube rows of the ledger.
  json::array published() const {
    return host_json("publications --json --target youtube --state published");
  }
  // The pid in a worker id (host:PID:random), or 0.
  static pid_t pid_of(const json::value &worker) {
    if (!worker.is_string()) return 0;
    const std::string w(worker.as_string());
    auto a = w.find(':'), b = w.rfind(':');
    return a == std::string::npos || a == b ? 0 : std::atoi(w.substr(a + 1, b - a - 1).c_str());
  }

  StoreParam store_ = StoreParam::from_env();
  int slots_ = 12, accounts_ = 3;
  automuse::testing::FakeOpenAI llm_;
  automuse::testing::soak::SoakLlm answers_{llm_};
  automuse::testing::FakeOAuth oauth_{
      automuse::testing::FakeOAuth::google_client(kClientId, kClientSecret)};
  automuse::testing::FakeYouTubeUpload yt_{oauth_};
  automuse::testing::TempFolder sandbox_;
  fs::path root_ = sandbox_.path();
  std::vector<pid_t> children_;

  void run_slots_while_a_worker_is_killed_and_restarted();
};

TEST_F(Workers, ThreeWorkersPublishEverySlotOnceWhileOneIsKilledAndRestarted) {
  run_slots_while_a_worker_is_killed_and_restarted();
}

// The same on one PostgreSQL shared by every process (claims with FOR UPDATE SKIP LOCKED): 60
// slots for six accounts.
TEST_F(Workers, OnPostgresSixtySlotsForSixAccountsArePublishedOnceEach) {
  store_.url = automuse::testing::PostgresServer::get().fresh_database();
  slots_ = env_int("AUTOMUSE_QUEUE_TEST_PG_SLOTS", 60);
  accounts_ = 6;
  for (int a = 3; a < accounts_; ++a) oauth_.add_refresh_token(refresh_token(a));
  write_config();
  run_slots_while_a_worker_is_killed_and_restarted();
}

void Workers::run_slots_while_a_worker_is_killed_and_restarted() {
  set_up_schedules();
  if (HasFatalFailure()) return;
  // A second daemon enqueues too: each slot is still one job.
  const pid_t daemon = spawn("daemon --slots 0", "daemon");
  const pid_t daemon2 = spawn("daemon --slots 0", "daemon2");
  std::vector<pid_t> workers;
  for (int w = 0; w < 3; ++w)
    workers.push_back(spawn("worker --slots 2", "worker" + std::to_string(w)));

  // Once a few videos are out, SIGKILL a worker that holds a running job, and start another.
  pid_t killed = 0;
  // About a second of a worker slot per Short here, with room for a loaded machine.
  const auto deadline = std::chrono::steady_clock::now() + 60s + slots_ * 2s;
  while (!killed && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    if (yt_.videos().size() < 2) continue;
    for (auto &j : host_json("jobs --json")) {
      const pid_t holder = pid_of(j.at("lease_owner"));
      if (j.at("state") != "running" || !holder) continue;
      auto it = std::find(workers.begin(), workers.end(), holder);
      if (it == workers.end()) continue;
      EXPECT_EQ(stop(holder, SIGKILL), -SIGKILL);
      killed = holder;
      *it = spawn("worker --slots 2", "worker-restarted");
      break;
    }
  }
  ASSERT_TRUE(killed) << "no worker held a job to kill\n" << logs();

  json::array rows;
  const bool all = [&] {
    while (std::chrono::steady_clock::now() < deadline) {
      rows = published();
      if (rows.size() >= static_cast<size_t>(slots_) && host_json("jobs --json").empty())
        return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }();
  for (pid_t w : workers) EXPECT_EQ(stop(w, SIGTERM), 0);
  EXPECT_EQ(stop(daemon, SIGTERM), 0);
  EXPECT_EQ(stop(daemon2, SIGTERM), 0);
  ASSERT_TRUE(all) << rows.size() << " of " << slots_ << " published\n" << logs();

  // Exactly once at the platform: one video per slot, no content twice.
  const auto videos = yt_.videos();
  EXPECT_EQ(videos.size(), static_cast<size_t>(slots_));
  std::set<std::string> titles;
  for (auto &v : videos)
    titles.insert(std::string(v.metadata.at("snippet").at("title").as_string()));
  EXPECT_EQ(titles.size(), videos.size()) << "a content was uploaded twice";

  // Exactly once in the ledger: one published row per job, one job per slot.
  rows = published();
  std::map<std::string, int> per_job;
  for (auto &r : rows) ++per_job[std::string(r.at("job_id").as_string())];
  EXPECT_EQ(rows.size(), static_cast<size_t>(slots_));
  EXPECT_EQ(per_job.size(), static_cast<size_t>(slots_));
  std::set<std::string> remote_ids;
  for (auto &r : rows) remote_ids.insert(std::string(r.at("remote_id").as_string()));
  std::set<std::string> video_ids;
  for (auto &v : videos) video_ids.insert(v.id);
  EXPECT_EQ(remote_ids, video_ids) << "the ledger names the videos the platform holds";

  // Every slot's job succeeded; the killed worker's job was resumed under its job id.
  std::set<std::string> succeeded_jobs, resumed_jobs;
  for (auto &r : host_json("runs --json --limit 0")) {
    if (r.at("status") == "succeeded")
      succeeded_jobs.insert(std::string(r.at("job_id").as_string()));
    if (r.at("status") == "resumed") {
      resumed_jobs.insert(std::string(r.at("job_id").as_string()));
      EXPECT_EQ(pid_of(r.at("worker")), killed) << r;
    }
  }
  EXPECT_EQ(succeeded_jobs.size(), static_cast<size_t>(slots_));
  EXPECT_GE(resumed_jobs.size(), 1u) << logs();
  for (auto &id : resumed_jobs) EXPECT_TRUE(succeeded_jobs.count(id)) << id;
  for (auto &[job, n] : per_job) EXPECT_TRUE(succeeded_jobs.count(job)) << job;
}

}  // namespace
