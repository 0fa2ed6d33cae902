// tests/web/serve_test.cpp — `automuse-host serve` and `daemon --serve` as a user runs them, in a
// sandbox, over real HTTP on loopback: a Short made offline by the youtube plugin through the
// API (the job enqueued, claimed by the serving process's worker), its event stream showing the
// steps and the render's progress, the video served with Range through a signed URL, a running
// job cancelled through the API, a job the API started resumed after a graceful restart of
// serve; every JSON answer validated against the OpenAPI document by a real validator from npm
// (tests/web/openapi).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "serve_fixture.hpp"
#include "support/files.hpp"

using namespace automuse::testing;
namespace json = boost::json;

namespace {

class Serve : public ServeFixture {
 protected:
  // Starts the offline Short (WIDTH x HEIGHT) through the API; the signed URL of its event
  // stream.
  std::string start_short(int width = 270, int height = 480) {
    json::object body{
        {"plugin", "youtube"},
        {"action", "generate"},
        {"script_text", "An octopus has three hearts. Its blood is blue. It tastes with its arms."},
        {"options", {{"title", "Octopus facts"}, {"width", width}, {"height", height}}}};
    HttpAnswer a = api("POST", "/api/v1/jobs", "/api/v1/jobs", json::serialize(body));
    EXPECT_EQ(a.status, 201) << a.body;
    if (a.status != 201) return "";
    return std::string(a.json().at("jobs").at(0).at("events_url").as_string());
  }
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
  const std::string stream = stream_to_end(events_url, 240);
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
  const json::object j = job(job_id);
  ASSERT_EQ(j.at("state"), "done");
  EXPECT_EQ(j.at("progress").at("percent"), 100);
  EXPECT_GE(j.at("steps").as_array().size(), 5u);
  const std::string history_id(j.at("result").at("history_id").as_string());
  const std::string video_file(j.at("result").at("video").as_string());

  HttpAnswer item = api("GET", "/api/v1/outbox/" + history_id, "/api/v1/outbox/{id}");
  ASSERT_EQ(item.status, 200) << item.body;
  EXPECT_EQ(item.json().at("metadata").at("title"), "Octopus facts");
  const std::string video_url(item.json().at("video_url").as_string());
  const std::string bytes = read_file(video_file);
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
  HostResult check = check_answers();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(check.out, m, std::regex("([0-9]+) answers checked"))) << check.out;
  EXPECT_GE(std::stoi(m[1]), 11) << check.out;
  // The token: printed once at this first start, never in the log.
  const std::string out = host->out();
  EXPECT_NE(out.find(token_), std::string::npos);
  EXPECT_EQ(out.find(token_, out.find(token_) + 1), std::string::npos);
  EXPECT_EQ(host->err().find(token_), std::string::npos);
  EXPECT_EQ(read_file(root_ / "data/automuse/logs/automuse.log").find(token_), std::string::npos);
}

TEST_F(Serve, ARunningJobIsCancelledThroughTheApi) {
  auto host = start({"serve", "--slots", "1"});
  ASSERT_NE(port_, 0);
  const std::string events_url = start_short();
  ASSERT_FALSE(events_url.empty());
  const std::string job_id = events_url.substr(13, events_url.find("/events") - 13);
  std::string seen = stream_until(events_url, "\"name\":\"running\"", 60);
  ASSERT_NE(seen.find("\"name\":\"running\""), std::string::npos) << seen << host->err();
  HttpAnswer a = api("POST", "/api/v1/jobs/" + job_id + "/cancel", "/api/v1/jobs/{id}/cancel");
  ASSERT_EQ(a.status, 202) << a.body;
  const std::string stream = stream_to_end(events_url, 60);
  const json::array events = events_of(stream);
  ASSERT_FALSE(events.empty()) << host->err();
  EXPECT_EQ(events.back().at("event"), "end") << stream << host->err();
  EXPECT_EQ(events.back().at("state"), "cancelled") << stream << host->err();
  const json::object j = job(job_id);
  EXPECT_EQ(j.at("state"), "cancelled");
  EXPECT_EQ(j.at("runs").at(0).at("status"), "cancelled");
}

TEST_F(Serve, TheDaemonServesTooAndTheTokenIsShownOnlyAtTheFirstStart) {
  {
    auto host = start({"daemon", "--serve", "--slots", "0"});
    ASSERT_NE(port_, 0);
    EXPECT_NE(host->out().find("API token (shown once"), std::string::npos);
    EXPECT_NE(host->out().find("/login#code="), std::string::npos);
    HttpAnswer doc = api("GET", "/api/v1/openapi.json", "/api/v1/openapi.json");
    EXPECT_EQ(doc.status, 200);
    EXPECT_EQ(json::parse(doc.body), json::parse(read_file(OPENAPI_DOC)));
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

// A graceful restart (SIGTERM, the grace period over) in the middle of a job the API started:
// the job goes back to the queue, the next start's worker resumes it, it ends done once, and a
// further restart finds nothing more to do.
TEST_F(Serve, AJobStartedThroughTheApiIsResumedAfterAGracefulRestart) {
  auto host = start({"serve", "--slots", "1", "--grace", "0"});
  ASSERT_NE(port_, 0);
  const std::string url = start_short(540, 960);  // a render long enough to be stopped in
  ASSERT_FALSE(url.empty());
  const std::string id = url.substr(13, url.find("/events") - 13);
  const std::string seen = stream_until(url, "\"kind\":\"step_started\",\"name\":\"render\"", 120);
  ASSERT_NE(seen.find("\"name\":\"render\""), std::string::npos) << seen << host->err();
  EXPECT_EQ(stop(*host), 0) << host->err();
  ASSERT_EQ(open_state(id), "queued")
      << "stopped in its render, back in the queue: " << host->err();

  host = start({"serve", "--slots", "1"});
  ASSERT_NE(port_, 0);
  const std::string stream = stream_to_end(url, 240);
  const json::array events = events_of(stream);
  std::vector<std::string> states;
  for (const auto &e : events)
    if (e.at("event") == "state" || e.at("event") == "end")
      states.push_back(std::string(e.at(e.at("event") == "end" ? "state" : "name").as_string()));
  EXPECT_EQ(states,
            (std::vector<std::string>{"queued", "running", "queued", "running", "done", "done"}))
      << stream << host->err();
  const auto resumed = std::find_if(events.begin(), events.end(), [](const json::value &e) {
    return e.at("event") == "state" && e.at("name") == "running" && e.as_object().contains("note");
  });
  ASSERT_NE(resumed, events.end()) << stream;
  EXPECT_NE(std::string(resumed->at("note").as_string()).find("resuming its interrupted run"),
            std::string::npos)
      << stream;
  const json::object j = job(id);
  EXPECT_EQ(j.at("state"), "done");
  const json::array &runs = j.at("runs").as_array();
  ASSERT_EQ(runs.size(), 2u) << json::serialize(j);
  std::multiset<std::string> statuses;
  for (const auto &r : runs) statuses.insert(std::string(r.at("status").as_string()));
  EXPECT_EQ(statuses, (std::multiset<std::string>{"resumed", "succeeded"})) << json::serialize(j);
  const json::array made =
      api("GET", "/api/v1/outbox", "/api/v1/outbox").json().at("videos").as_array();
  EXPECT_EQ(made.size(), 1u) << "one Short made, once";
  EXPECT_EQ(stop(*host), 0) << host->err();

  // Started again: nothing is left to take up.
  host = start({"serve", "--slots", "1"});
  ASSERT_NE(port_, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // several polls of its worker
  const json::object after = job(id);
  EXPECT_EQ(after.at("state"), "done");
  EXPECT_EQ(after.at("runs").as_array().size(), 2u) << json::serialize(after);
  EXPECT_EQ(events_of(stream_to_end(url, 30)).size(), events.size()) << "no new events";
  EXPECT_EQ(api("GET", "/api/v1/outbox", "/api/v1/outbox").json().at("videos").as_array().size(),
            1u);
  check_answers();
}
