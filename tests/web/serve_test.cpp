// tests/web/serve_test.cpp — `automuse-host serve` and `daemon --serve` as a user runs them, in a
// sandbox, over real HTTP on loopback: a Short made offline by the youtube plugin through the
// API (the job enqueued, claimed by the serving process's worker), its event stream showing the
// steps and the render's progress, the video served with Range through a signed URL, a running
// job cancelled through the API; every JSON answer validated against the OpenAPI document by a
// real validator from npm (tests/web/openapi).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "http_call.hpp"
#include "support/host_process.hpp"
#include "support/temp_folder.hpp"

using namespace automuse::testing;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string file_text(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(root_ / "automuse.json")
        << R"({"plugins": {"youtube": {}}, "queue": {"poll_seconds": 0.2}})";
    answers_ = (root_ / "answers.jsonl").string();
  }

  // Starts `automuse-host ARGS --listen 127.0.0.1:0` and waits for its port.
  std::unique_ptr<HostProcess> start(std::vector<std::string> args) {
    args.push_back("--listen");
    args.push_back("127.0.0.1:0");
    auto env = sandbox_env(root_);
    env.push_back("XDG_CACHE_HOME=" + (root_ / "cache").string());
    auto p =
        std::make_unique<HostProcess>(host_argv(host_exe(HOST_EXE), PLUGIN_DIR, root_, args), env);
    static const std::regex port_line("\\(port ([0-9]+)\\)");
    for (int i = 0; i < 1500; ++i) {
      std::smatch m;
      const std::string out = p->out();
      if (std::regex_search(out, m, port_line)) {
        port_ = static_cast<uint16_t>(std::stoi(m[1]));
        token_ = file_text(root_ / "data/automuse/web/api-token");
        while (!token_.empty() && token_.back() == '\n') token_.pop_back();
        return p;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "no port printed: " << p->out() << p->err();
    return p;
  }

  // A call whose JSON answer is kept for the OpenAPI check (`path` as the document has it).
  HttpAnswer api(const std::string &method, const std::string &target, const std::string &path,
                 const std::string &body = "") {
    HttpAnswer a = http_call(port_, HttpCall{method, target, body, token_, "", {}});
    record_answer(answers_, method, path, a);
    return a;
  }

  json::array events_of(const std::string &stream) {
    json::array out;
    std::istringstream in(stream);
    std::string line, event;
    while (std::getline(in, line)) {
      if (line.rfind("event: ", 0) == 0) event = line.substr(7);
      if (line.rfind("data: ", 0) == 0) {
        json::object o = json::parse(line.substr(6)).as_object();
        o["event"] = event;
        out.push_back(o);
      }
    }
    return out;
  }

  std::string start_short() {
    HttpAnswer a = api("POST", "/api/v1/jobs", "/api/v1/jobs",
                       R"({"plugin": "youtube", "action": "generate",
                           "script_text": "An octopus has three hearts. Its blood is blue. It tastes with its arms.",
                           "options": {"title": "Octopus facts", "width": 270, "height": 480}})");
    EXPECT_EQ(a.status, 201) << a.body;
    if (a.status != 201) return "";
    return std::string(a.json().at("jobs").at(0).at("events_url").as_string());
  }

  TempFolder temp_;
  fs::path root_ = temp_.path();
  std::string answers_;
  uint16_t port_ = 0;
  std::string token_;
};

}  // namespace

TEST_F(Serve, AShortMadeThroughTheApiStreamsItsStepsAndIsServedWithRanges) {
  auto host = start({"serve", "--slots", "2"});
  ASSERT_NE(port_, 0);
  ASSERT_EQ(api("GET", "/api/v1/health", "/api/v1/health").status, 200);
  HttpAnswer plugins = api("GET", "/api/v1/plugins", "/api/v1/plugins");
  EXPECT_NE(plugins.body.find("\"generate\""), std::string::npos);
  const std::string events_url = start_short();
  ASSERT_FALSE(events_url.empty());
  const std::string stream = read_stream(port_, events_url, "event: end", 240);
  json::array events = events_of(stream);
  std::vector<std::string> started;
  std::vector<int64_t> render_percent;
  for (auto &e : events) {
    if (e.at("event") == "step_started") started.emplace_back(e.at("name").as_string());
    if (e.at("event") == "progress" && e.at("name") == "render")
      render_percent.push_back(e.at("percent").as_int64());
  }
  for (const char *step : {"script", "images", "render", "outbox"})
    EXPECT_NE(std::find(started.begin(), started.end(), step), started.end()) << step << stream;
  EXPECT_TRUE(std::is_sorted(render_percent.begin(), render_percent.end())) << stream;
  EXPECT_GE(std::count_if(render_percent.begin(), render_percent.end(),
                          [](int64_t p) { return p > 0 && p < 100; }),
            3)
      << stream;
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().at("event"), "end");
  EXPECT_EQ(events.back().at("state"), "done") << stream << host->err();

  const std::string job_id = events_url.substr(13, events_url.find("/events") - 13);
  HttpAnswer job = api("GET", "/api/v1/jobs/" + job_id, "/api/v1/jobs/{id}");
  ASSERT_EQ(job.status, 200);
  EXPECT_EQ(job.json().at("state"), "done");
  EXPECT_EQ(job.json().at("progress").at("percent"), 100);
  EXPECT_GE(job.json().at("steps").as_array().size(), 5u);
  const std::string history_id(job.json().at("result").at("history_id").as_string());
  const std::string video_file(job.json().at("result").at("video").as_string());

  HttpAnswer item = api("GET", "/api/v1/outbox/" + history_id, "/api/v1/outbox/{id}");
  ASSERT_EQ(item.status, 200) << item.body;
  EXPECT_EQ(item.json().at("metadata").at("title"), "Octopus facts");
  const std::string video_url(item.json().at("video_url").as_string());
  const std::string bytes = file_text(video_file);
  const std::string size = std::to_string(bytes.size());
  // The browser's player: no token, the signed URL, a seek.
  HttpAnswer part =
      http_call(port_, HttpCall{"GET", video_url, "", "", "", {{"Range", "bytes=100-199"}}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.header("content-range"), "bytes 100-199/" + size);
  EXPECT_EQ(part.body, bytes.substr(100, 100));
  HttpAnswer tail =
      http_call(port_, HttpCall{"GET", video_url, "", "", "", {{"Range", "bytes=-10"}}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, bytes.substr(bytes.size() - 10));
  HttpAnswer whole = http_call(port_, HttpCall{"GET", video_url, "", "", "", {}});
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.header("accept-ranges"), "bytes");
  EXPECT_EQ(whole.body, bytes);
  HttpAnswer past =
      http_call(port_, HttpCall{"GET", video_url, "", "", "", {{"Range", "bytes=" + size + "-"}}});
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.header("content-range"), "bytes */" + size);
  HttpAnswer thumb = http_call(
      port_,
      HttpCall{"GET", std::string(item.json().at("thumbnail_url").as_string()), "", "", "", {}});
  EXPECT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.header("content-type"), "image/jpeg");
  EXPECT_EQ(thumb.body.substr(0, 2), "\xFF\xD8");
  api("GET", "/api/v1/outbox", "/api/v1/outbox");
  api("GET", "/api/v1/jobs", "/api/v1/jobs");
  api("GET", "/api/v1/runs", "/api/v1/runs");
  api("GET", "/api/v1/history", "/api/v1/history");
  api("GET", "/api/v1/usage", "/api/v1/usage");
  api("GET", "/api/v1/jobs/nothing", "/api/v1/jobs/{id}");
  // Every JSON answer above against the document's schemas.
  HostResult check = run_in_sandbox(
      root_, std::string("node ") + OPENAPI_CHECK + " " + OPENAPI_DOC + " " + answers_);
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(check.out, m, std::regex("([0-9]+) answers checked"))) << check.out;
  EXPECT_GE(std::stoi(m[1]), 11) << check.out;
  // The token: printed once at this first start, never in the log.
  const std::string out = host->out();
  EXPECT_NE(out.find(token_), std::string::npos);
  EXPECT_EQ(out.find(token_, out.find(token_) + 1), std::string::npos);
  EXPECT_EQ(host->err().find(token_), std::string::npos);
  EXPECT_EQ(file_text(root_ / "data/automuse/logs/automuse.log").find(token_), std::string::npos);
}

TEST_F(Serve, ARunningJobIsCancelledThroughTheApi) {
  auto host = start({"serve", "--slots", "1"});
  ASSERT_NE(port_, 0);
  const std::string events_url = start_short();
  ASSERT_FALSE(events_url.empty());
  const std::string job_id = events_url.substr(13, events_url.find("/events") - 13);
  std::string seen = read_stream(port_, events_url, "\"name\":\"running\"", 60);
  ASSERT_NE(seen.find("\"name\":\"running\""), std::string::npos) << seen << host->err();
  HttpAnswer a = api("POST", "/api/v1/jobs/" + job_id + "/cancel", "/api/v1/jobs/{id}/cancel");
  ASSERT_EQ(a.status, 202) << a.body;
  const std::string stream = read_stream(port_, events_url, "event: end", 60);
  EXPECT_NE(stream.find("event: end\ndata: {\"state\":\"cancelled\""), std::string::npos)
      << stream << host->err();
  HttpAnswer job = api("GET", "/api/v1/jobs/" + job_id, "/api/v1/jobs/{id}");
  EXPECT_EQ(job.json().at("state"), "cancelled");
  EXPECT_EQ(job.json().at("runs").at(0).at("status"), "cancelled");
}

TEST_F(Serve, TheDaemonServesTooAndTheTokenIsShownOnlyAtTheFirstStart) {
  {
    auto host = start({"daemon", "--serve", "--slots", "0"});
    ASSERT_NE(port_, 0);
    EXPECT_NE(host->out().find("API token (shown once"), std::string::npos);
    EXPECT_NE(host->out().find("/login#code="), std::string::npos);
    HttpAnswer doc = api("GET", "/api/v1/openapi.json", "/api/v1/openapi.json");
    EXPECT_EQ(doc.status, 200);
    EXPECT_EQ(json::parse(doc.body), json::parse(file_text(OPENAPI_DOC)));
    // --slots 0: nothing here runs jobs; one started stays queued.
    start_short();
    HttpAnswer jobs = api("GET", "/api/v1/jobs", "/api/v1/jobs");
    EXPECT_EQ(jobs.json().at("jobs").at(0).at("state"), "queued");
  }
  const std::string first_token = token_;
  auto host = start({"serve", "--slots", "0"});
  EXPECT_EQ(token_, first_token);
  EXPECT_EQ(host->out().find("API token"), std::string::npos) << host->out();
  EXPECT_EQ(host->out().find(token_), std::string::npos);
  EXPECT_NE(host->out().find("/login#code="), std::string::npos);
}
