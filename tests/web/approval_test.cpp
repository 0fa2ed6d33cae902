// tests/web/approval_test.cpp — the approval gate end to end (docs/web.md): `automuse-host serve`
// in a sandbox over real HTTP on loopback, the youtube plugin making a Short offline (real
// espeak-ng and FFmpeg) and uploading it to the fake YouTube (tests/support/youtube) with tokens
// from the fake Google token endpoint. A job with approval required stops in awaiting_approval
// with nothing uploaded, stays so through a killed and restarted host, and once approved is
// uploaded exactly once — the bytes of its outbox video — however often it is approved, and
// when the host is killed in the middle of that upload the ledger settles it without a second
// video; so it does for a job without approval that a graceful restart stopped in its upload. A
// rejected one is discarded with its files. The command line approves and rejects too, and a
// scheduled job of an account that requires approval waits under run-due as well. Every JSON answer
// is validated against the OpenAPI document.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>

#include "schedule/schedule_store.hpp"
#include "serve_fixture.hpp"
#include "support/files.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/sandbox_store.hpp"
#include "support/youtube/fake_youtube_upload.hpp"

using namespace automuse::testing;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char *kClientId = "1234-fake.apps.googleusercontent.com";
constexpr const char *kClientSecret = "GOCSPX-fake-secret";
constexpr const char *kRefreshToken = "1//fake-refresh-token";

class ApprovalGate : public ServeFixture {
 protected:
  void SetUp() override {
    oauth_.add_refresh_token(kRefreshToken);
    json::object config{{"plugins",
                         {{"youtube",
                           {{"client_id", kClientId},
                            {"client_secret", kClientSecret},
                            {"token_url", oauth_.token_url()},
                            {"upload_url", yt_.upload_url()},
                            {"chunk_kib", 256},
                            {"upload_retry_base_ms", 5}}}}},
                        // A killed host's lease lapses in a second: the restarted one resumes.
                        {"queue", {{"poll_seconds", 0.2}, {"lease_seconds", 1}}}};
    write_config(config);
  }

  void add_account(const std::string &extra = "") {
    HostResult r =
        cli("accounts add --plugin youtube --nickname ocean --set niche='ocean animals'"
            " --set refresh_token=" +
            std::string(kRefreshToken) + " " + extra);
    ASSERT_EQ(r.code, 0) << r.err;
  }

  // Starts `automuse-host serve --slots 1` and waits for its port.
  std::unique_ptr<HostProcess> serve() { return start({"serve", "--slots", "1"}); }

  // Starts a `run` of a short script for account ocean; `approval` is the request's field
  // ("" for none). The job's id.
  std::string start_run(const std::string &approval, const std::string &title = "Octopus facts") {
    json::object body{
        {"plugin", "youtube"},
        {"action", "run"},
        {"account", "ocean"},
        {"script_text", "An octopus has three hearts. Its blood is blue. It tastes with its arms."},
        {"options", {{"title", title}, {"width", 270}, {"height", 480}}}};
    if (!approval.empty()) body["approval"] = approval;
    HttpAnswer a = api("POST", "/api/v1/jobs", "/api/v1/jobs", json::serialize(body));
    EXPECT_EQ(a.status, 201) << a.body;
    if (a.status != 201) return "";
    return std::string(a.json().at("jobs").at(0).at("id").as_string());
  }

  // Waits (up to `seconds`) until the fake YouTube holds a video.
  void wait_for_video(int seconds) {
    for (int i = 0; i < seconds * 50 && yt_.videos().empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  // Job `id`, resumed after its host stopped between YouTube storing its video and answering:
  // it ends done with that one video (the ledger's upload row led the host to ask that
  // session, none was started anew), and the ledger holds it published once. The job's events.
  std::string expect_settled_by_the_ledger(const std::string &id) {
    const std::string rest = stream_to_end(events_url(id), 120);
    EXPECT_NE(rest.find("event: end\ndata: {\"state\":\"done\""), std::string::npos) << rest;
    EXPECT_EQ(yt_.sessions_started(), 1) << "the same session was asked, none started anew";
    const auto puts = yt_.puts();
    EXPECT_TRUE(puts.size() >= 2 && puts.back().status_query);
    expect_one_video_published();
    if (!yt_.videos().empty()) {
      EXPECT_EQ(job(id).at("result").at("video_id"), yt_.videos()[0].id.c_str());
    }
    return rest;
  }

  // One video at the fake YouTube, and one row in the publication ledger, published.
  void expect_one_video_published() {
    EXPECT_EQ(yt_.videos().size(), 1u);
    HostResult list = cli("publications --json");
    ASSERT_EQ(list.code, 0) << list.err;
    const json::array rows = json::parse(list.out).as_array();
    ASSERT_EQ(rows.size(), 1u) << list.out;
    EXPECT_EQ(rows[0].at("state"), "published");
  }

  // The upload's progress reached the stream (the HTTP service meters the video's pieces):
  // whole percents, never falling, the last one 100, all before the upload step ended.
  static void expect_upload_progress_to_100(const std::string &stream) {
    std::vector<int64_t> percents;
    bool upload_ended = false;
    for (const json::value &v : events_of(stream)) {
      const json::object &e = v.as_object();
      const json::value *name = e.if_contains("name");
      if (!name || *name != "upload" || !e.contains("kind")) continue;  // e.g. "end"
      if (e.at("kind") == "step_finished") upload_ended = true;
      if (e.at("kind") != "progress") continue;
      EXPECT_FALSE(upload_ended) << stream;
      percents.push_back(e.at("percent").as_int64());
    }
    ASSERT_FALSE(percents.empty()) << stream;
    EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end())) << stream;
    EXPECT_EQ(percents.back(), 100) << stream;
  }

  FakeOAuth oauth_{FakeOAuth::google_client(kClientId, kClientSecret)};
  FakeYouTubeUpload yt_{oauth_};
};

}  // namespace

TEST_F(ApprovalGate, AnApprovedShortIsUploadedOnceAfterWaitingThroughARestart) {
  add_account();
  auto host = serve();
  ASSERT_NE(port_, 0);
  const std::string id = start_run("required");
  ASSERT_FALSE(id.empty());
  const std::string url = events_url(id);
  const std::string held = stream_until(url, "\"name\":\"awaiting_approval\"", 240);
  ASSERT_NE(held.find("event: state"), std::string::npos) << held;
  ASSERT_NE(held.find("\"name\":\"awaiting_approval\""), std::string::npos) << held << host->err();
  json::object j = wait_state(id, "awaiting_approval", 10);
  EXPECT_EQ(j.at("approval"), "required");
  EXPECT_EQ(j.at("action"), "run");
  const std::string history_id(j.at("result").at("history_id").as_string());
  EXPECT_EQ(j.at("approval_item"), history_id.c_str());
  const std::string video_file(j.at("result").at("video").as_string());
  ASSERT_TRUE(fs::is_regular_file(video_file));
  EXPECT_EQ(api("GET", "/api/v1/outbox/" + history_id, "/api/v1/outbox/{id}").status, 200);
  EXPECT_EQ(yt_.sessions_started(), 0) << "nothing goes to YouTube before approval";

  // Killed and started again: still waiting, and no worker takes it.
  host->wait(std::chrono::milliseconds(0));
  host = serve();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // several polls, a lease
  EXPECT_EQ(job(id).at("state"), "awaiting_approval");
  EXPECT_EQ(yt_.sessions_started(), 0);

  HttpAnswer ok = api("POST", "/api/v1/jobs/" + id + "/approve", "/api/v1/jobs/{id}/approve");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.json().at("approved_ms"), nullptr);
  HttpAnswer twice = api("POST", "/api/v1/jobs/" + id + "/approve", "/api/v1/jobs/{id}/approve");
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.json().at("error").at("code"), "not_awaiting_approval");
  const std::string rest = stream_to_end(url, 120);
  EXPECT_NE(rest.find("\"name\":\"awaiting_approval\""), std::string::npos);
  EXPECT_NE(rest.find("\"name\":\"upload\""), std::string::npos) << rest;
  EXPECT_NE(rest.find("event: end\ndata: {\"state\":\"done\""), std::string::npos)
      << rest << host->err();
  expect_upload_progress_to_100(rest);
  j = job(id);
  EXPECT_EQ(j.at("state"), "done");
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.sessions_started(), 1);
  EXPECT_EQ(yt_.videos()[0].bytes, read_file(video_file)) << "the outbox video itself went up";
  EXPECT_EQ(j.at("result").at("video_id"), yt_.videos()[0].id.c_str());
  EXPECT_EQ(j.at("result").at("history_id"), history_id.c_str());
  EXPECT_EQ(api("POST", "/api/v1/jobs/" + id + "/approve", "/api/v1/jobs/{id}/approve").status,
            409);
  EXPECT_EQ(api("POST", "/api/v1/jobs/nothing/approve", "/api/v1/jobs/{id}/approve").status, 404);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.sessions_started(), 1);
  check_answers();
}

// Killed after YouTube stored the last byte but before its answer: the restarted host resumes
// the approved job, the ledger's upload row leads it to ask that session, and the video it
// holds is recorded; nothing is uploaded again.
TEST_F(ApprovalGate, AKillDuringTheApprovedUploadIsSettledByTheLedgerWithoutASecondVideo) {
  add_account();
  auto host = serve();
  ASSERT_NE(port_, 0);
  const std::string id = start_run("required");
  ASSERT_FALSE(id.empty());
  wait_state(id, "awaiting_approval", 240);
  yt_.delay_answer_to_chunk(1, std::chrono::seconds(30));
  ASSERT_EQ(api("POST", "/api/v1/jobs/" + id + "/approve", "/api/v1/jobs/{id}/approve").status,
            200);
  wait_for_video(12);
  ASSERT_EQ(yt_.videos().size(), 1u) << host->err();
  host->wait(std::chrono::milliseconds(0));  // SIGKILL while the answer is held back
  host = serve();
  expect_settled_by_the_ledger(id);
}

// A job the API started without approval, stopped by a graceful restart (SIGTERM, no grace)
// after YouTube stored its last byte but before its answer: the job goes back to the queue, the
// restarted host resumes it, the ledger's upload row leads it to ask that session, and the one
// video is recorded; a further restart does nothing more.
TEST_F(ApprovalGate, AnUngatedJobStoppedInItsUploadIsSettledByTheLedgerAfterARestart) {
  add_account();
  auto host = start({"serve", "--slots", "1", "--grace", "0"});
  ASSERT_NE(port_, 0);
  yt_.delay_answer_to_chunk(1, std::chrono::seconds(30));
  const std::string id = start_run("none");
  ASSERT_FALSE(id.empty());
  wait_for_video(240);  // made, then uploaded
  ASSERT_EQ(yt_.videos().size(), 1u) << host->err();
  EXPECT_EQ(stop(*host), 0) << host->err();
  ASSERT_EQ(open_state(id), "queued") << "back in the queue, not left interrupted: " << host->err();

  host = serve();
  const std::string rest = expect_settled_by_the_ledger(id);
  EXPECT_NE(rest.find("resuming its interrupted run"), std::string::npos) << rest << host->err();
  const size_t runs = job(id).at("runs").as_array().size();
  EXPECT_EQ(stop(*host), 0) << host->err();

  host = serve();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // several polls, a lease
  EXPECT_EQ(job(id).at("state"), "done");
  EXPECT_EQ(job(id).at("runs").as_array().size(), runs);
  EXPECT_EQ(yt_.sessions_started(), 1);
  expect_one_video_published();
  check_answers();
}

TEST_F(ApprovalGate, ARejectedShortIsDiscardedAndNothingIsUploaded) {
  add_account();
  auto host = serve();
  ASSERT_NE(port_, 0);
  const std::string id = start_run("required");
  ASSERT_FALSE(id.empty());
  json::object j = wait_state(id, "awaiting_approval", 240);
  const std::string history_id(j.at("result").at("history_id").as_string());
  const fs::path folder =
      fs::path(std::string(j.at("result").at("video").as_string())).parent_path();
  ASSERT_TRUE(fs::exists(folder / "video.mp4"));

  HttpAnswer no = api("POST", "/api/v1/jobs/" + id + "/reject", "/api/v1/jobs/{id}/reject");
  ASSERT_EQ(no.status, 200) << no.body;
  EXPECT_EQ(no.json().at("state"), "rejected");
  EXPECT_FALSE(fs::exists(folder)) << "the outbox files are gone";
  const std::string stream = stream_to_end(events_url(id), 30);
  EXPECT_NE(stream.find("event: end\ndata: {\"state\":\"rejected\""), std::string::npos) << stream;
  EXPECT_EQ(api("GET", "/api/v1/outbox/" + history_id, "/api/v1/outbox/{id}").status, 404);
  HttpAnswer outbox = api("GET", "/api/v1/outbox", "/api/v1/outbox");
  EXPECT_EQ(outbox.body.find(history_id), std::string::npos) << "no longer offered";
  EXPECT_EQ(api("POST", "/api/v1/jobs/" + id + "/reject", "/api/v1/jobs/{id}/reject").status, 409);
  EXPECT_EQ(api("POST", "/api/v1/jobs/" + id + "/approve", "/api/v1/jobs/{id}/approve").status,
            409);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(job(id).at("state"), "rejected");
  EXPECT_EQ(yt_.sessions_started(), 0);
  HostResult history = cli("history --plugin youtube --json");
  ASSERT_EQ(history.code, 0) << history.err;
  const json::array rows = json::parse(history.out).as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("status"), "failed");
  EXPECT_EQ(rows[0].at("local_file"), nullptr);
  check_answers();
}

// The account's setting gates jobs that do not ask; the command line approves and rejects.
TEST_F(ApprovalGate, TheCommandLineApprovesAndRejectsJobsOfAnAccountThatRequiresApproval) {
  add_account("--approval required");
  HostResult shown = cli("accounts show ocean");
  EXPECT_NE(shown.out.find("approval: required"), std::string::npos) << shown.out;
  auto host = serve();
  ASSERT_NE(port_, 0);
  const std::string first = start_run("", "Octopus facts");
  const std::string second = start_run("none", "Blue blood");  // cannot waive the account's
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(job(first).at("approval"), "required");
  wait_state(first, "awaiting_approval", 240);
  wait_state(second, "awaiting_approval", 240);

  HostResult unknown = cli("jobs approve no-such-job");
  EXPECT_NE(unknown.code, 0);
  EXPECT_NE(unknown.err.find("no job 'no-such-job'"), std::string::npos) << unknown.err;
  HostResult listed = cli("jobs");
  EXPECT_NE(listed.out.find("awaiting_approval"), std::string::npos) << listed.out;

  HostResult rejected = cli("jobs reject " + first);
  ASSERT_EQ(rejected.code, 0) << rejected.err;
  EXPECT_NE(rejected.out.find("nothing was published"), std::string::npos) << rejected.out;
  HostResult again = cli("jobs reject " + first);
  EXPECT_NE(again.code, 0);
  EXPECT_NE(again.err.find("is not awaiting approval (its state: rejected)"), std::string::npos)
      << again.err;

  HostResult approved = cli("jobs approve " + second.substr(0, 8));  // a prefix, as listed
  ASSERT_EQ(approved.code, 0) << approved.err;
  EXPECT_NE(approved.out.find("queued to publish"), std::string::npos) << approved.out;
  wait_state(second, "done", 120);
  EXPECT_EQ(job(first).at("state"), "rejected");
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.videos()[0].metadata.at("snippet").at("title"), "Blue blood");

  HostResult done = cli("jobs approve " + second);
  EXPECT_NE(done.code, 0);
  EXPECT_NE(done.err.find("not awaiting approval (its state: done)"), std::string::npos)
      << done.err;
  EXPECT_EQ(yt_.videos().size(), 1u);
}

TEST_F(ApprovalGate, ApprovalIsRefusedWhereItCannotApply) {
  add_account();
  auto host = serve();
  ASSERT_NE(port_, 0);
  HttpAnswer gen = api("POST", "/api/v1/jobs", "/api/v1/jobs",
                       R"({"plugin": "youtube", "action": "generate", "approval": "required",
                           "script_text": "Hello there."})");
  EXPECT_EQ(gen.status, 400) << gen.body;
  EXPECT_EQ(gen.json().at("error").at("code"), "approval_unsupported");
  EXPECT_NE(gen.body.find("actions that can: run"), std::string::npos) << gen.body;
  HttpAnswer odd = api("POST", "/api/v1/jobs", "/api/v1/jobs",
                       R"({"plugin": "youtube", "action": "run", "approval": "maybe"})");
  EXPECT_EQ(odd.status, 400) << odd.body;
  HttpAnswer bad = api("PATCH", "/api/v1/accounts/ocean", "/api/v1/accounts/{id}",
                       R"({"approval": "sometimes"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  HttpAnswer set = api("PATCH", "/api/v1/accounts/ocean", "/api/v1/accounts/{id}",
                       R"({"approval": "required"})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json().at("approval"), "required");
  HttpAnswer jobs = api("GET", "/api/v1/jobs", "/api/v1/jobs");
  EXPECT_EQ(jobs.json().at("jobs").as_array().size(), 0u) << "nothing was enqueued";
  HostResult odd_cli = cli("accounts set ocean --approval sometimes");
  EXPECT_NE(odd_cli.code, 0);
  EXPECT_NE(odd_cli.err.find("--approval must be required or none"), std::string::npos)
      << odd_cli.err;
  check_answers();
}

// A schedule of an account that requires approval: run-due makes the Short and leaves the job
// waiting (no worker takes it again); approved, the next run-due publishes it, once.
TEST_F(ApprovalGate, AScheduledJobOfAnAccountThatRequiresApprovalWaitsUnderRunDue) {
  add_account("--approval required");
  const fs::path script = root_ / "script.txt";
  std::ofstream(script) << "An octopus has three hearts. Its blood is blue.\n";
  HostResult added =
      cli("schedule add --plugin youtube --account ocean --action run --cron '0 0 1 1 *' --option "
          "title='Scheduled octopus' --option width=270 --option height=480 --option script=" +
          script.string());
  ASSERT_EQ(added.code, 0) << added.err;
  {
    automuse::schedule::ScheduleStore schedules(sandbox_store(root_));
    const auto all = schedules.list();
    ASSERT_EQ(all.size(), 1u);
    schedules.set_last_fire(all[0].id, automuse::schedule::now_seconds() - 2 * 366 * 24 * 3600);
  }
  HostResult due = cli("run-due");
  ASSERT_EQ(due.code, 0) << due.err;
  EXPECT_EQ(yt_.sessions_started(), 0);
  HostResult listed = cli("jobs --json");
  ASSERT_EQ(listed.code, 0) << listed.err;
  json::array jobs = json::parse(listed.out).as_array();
  ASSERT_EQ(jobs.size(), 1u) << listed.out;
  EXPECT_EQ(jobs[0].at("state"), "awaiting_approval");
  EXPECT_EQ(jobs[0].at("approval"), "required");
  EXPECT_TRUE(jobs[0].at("approval_item").is_string());
  const std::string id(jobs[0].at("id").as_string());

  HostResult idle = cli("run-due");  // nothing due, nothing to take
  ASSERT_EQ(idle.code, 0) << idle.err;
  EXPECT_EQ(yt_.sessions_started(), 0);
  ASSERT_EQ(cli("jobs approve " + id).code, 0);
  HostResult publish = cli("run-due");
  ASSERT_EQ(publish.code, 0) << publish.err;
  ASSERT_EQ(yt_.videos().size(), 1u) << publish.err;
  EXPECT_EQ(yt_.videos()[0].metadata.at("snippet").at("title"), "Scheduled octopus");
  EXPECT_EQ(json::parse(cli("jobs --json").out).as_array().size(), 0u) << "done, no longer open";
  HostResult runs = cli("runs --json");
  ASSERT_EQ(runs.code, 0) << runs.err;
  EXPECT_NE(runs.out.find("\"action\":\"generate\""), std::string::npos) << runs.out;
  EXPECT_NE(runs.out.find("\"action\":\"publish\""), std::string::npos) << runs.out;
}
