// tests/web/api_server_test.cpp — the API in this process over real HTTP on loopback, on a
// fresh SQLite store with one described plugin and no worker (jobs stay queued): the OpenAPI
// document against the router, bad input of every kind answered with a clear 4xx and the
// database unchanged, the token and the lock-out of failing clients, the one-time login code,
// write-only secrets, batches, cancelling, event streams and their signed URLs; an event this
// process writes reaches its stream at once, not at the next poll; the dashboard page's files
// served without a token under a strict Content-Security-Policy.
#include "web/api_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <future>
#include <thread>

#include "db_dump.hpp"
#include "http_call.hpp"
#include "schedule/job_events.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

using namespace automuse;
using namespace automuse::testing;
namespace json = boost::json;

namespace {

constexpr const char *kPlugin = R"({"id": "demo", "name": "Demo", "actions": ["run", "auth"],
  "action_options": {"run": [{"name": "topic", "type": "string", "help": "What about"},
                             {"name": "width", "type": "integer", "help": "Pixels"},
                             {"name": "script", "type": "string", "help": "A script file to read"},
                             {"name": "outbox", "type": "string", "help": "Folder to keep it in"}]},
  "account_fields": [{"name": "niche", "type": "string", "required": true},
                     {"name": "api_key", "type": "string", "secret": true}]})";
constexpr const char *kApiKey = "demo-api-key-0123456789abcdef";

class Api : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.emplace(store::Location(root_ / "automuse.db"));
    json::array plugins{json::parse(kPlugin)};
    credentials_ = web::load_or_create_credentials(root_ / "web");
    api_.emplace(io_, *store_, store::Location(root_ / "automuse.db"), root_ / "web", plugins,
                 credentials_.signing_key);
    web::ApiOptions options;
    options.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
    options.limits.body_limit = 64 * 1024;
    server_.emplace(*api_, options, credentials_);
    server_->start();
    port_ = server_->port();
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    boost::asio::post(io_, [this] { server_->stop(); });
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  HttpAnswer call(std::string method, std::string target, std::string body = "",
                  std::string token = "!") {
    HttpCall c;
    c.method = std::move(method);
    c.target = std::move(target);
    c.body = std::move(body);
    c.token = token == "!" ? credentials_.token : token;
    return http_call(port_, c);
  }
  std::string dump() { return dump_database(root_ / "automuse.db"); }

  TempFolder temp_;
  std::filesystem::path root_ = temp_.path();
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_ =
      boost::asio::make_work_guard(io_);
  std::optional<store::Store> store_;
  web::Credentials credentials_;
  std::optional<web::ApiContext> api_;
  std::optional<web::ApiServer> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

// Every path and method of the document.
std::vector<std::pair<std::string, std::string>> documented() {
  json::value doc = json::parse(web::openapi_document());
  std::vector<std::pair<std::string, std::string>> out;
  for (auto &[path, ops] : doc.at("paths").as_object())
    for (auto &[method, op] : ops.as_object()) {
      std::string m(method);
      for (auto &ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out.emplace_back(m, std::string(path));
    }
  return out;
}

}  // namespace

TEST_F(Api, EveryRouteIsDocumentedAndEveryDocumentedRouteAnswers) {
  auto doc = documented();
  for (const auto &r : server_->router().routes()) {
    std::pair<std::string, std::string> key{std::string(web::http::to_string(r.method)), r.pattern};
    EXPECT_NE(std::find(doc.begin(), doc.end(), key), doc.end())
        << key.first << " " << key.second << " is not in openapi.json";
  }
  EXPECT_EQ(doc.size(), server_->router().routes().size());
  for (auto &[method, path] : doc) {
    std::string target = path;
    for (size_t at; (at = target.find("{id}")) != std::string::npos;) target.replace(at, 4, "x1");
    auto a = call(method, target, method == "GET" || method == "DELETE" ? "" : "{}");
    EXPECT_NE(a.status, 405) << method << " " << path;
    EXPECT_FALSE(a.status == 404 && a.error_code() == "not_found") << method << " " << path;
    EXPECT_NE(a.status, 0) << method << " " << path;
  }
}

TEST_F(Api, BadInputIsAClear4xxAndChangesNothing) {
  ASSERT_EQ(call("POST", "/api/v1/accounts",
                 R"({"plugin": "demo", "nickname": "main", "fields": {"niche": "cats"}})")
                .status,
            201);
  const std::string before = dump();
  struct Case {
    std::string method, target, body, token, host;
    int status;
    std::string code;
  };
  const std::string big(70 * 1024, 'x');
  const std::vector<Case> cases = {
      {"POST", "/api/v1/jobs", "{\"plugin\": \"demo\",", "!", "", 400, "malformed_json"},
      {"POST", "/api/v1/jobs", "[1, 2]", "!", "", 400, "malformed_json"},
      {"POST", "/api/v1/jobs", R"({"plugin": "demo", "action": "run", "account": "nobody"})", "!",
       "", 400, "unknown_account"},
      {"POST", "/api/v1/jobs", R"({"plugin": "nope", "action": "run"})", "!", "", 400,
       "unknown_plugin"},
      {"POST", "/api/v1/jobs", R"({"plugin": "demo", "action": "fly"})", "!", "", 400,
       "unknown_action"},
      {"POST", "/api/v1/jobs", R"({"plugin": "demo", "action": "run", "options": {"colour": 1}})",
       "!", "", 400, "unknown_option"},
      {"POST", "/api/v1/jobs",
       R"({"plugin": "demo", "action": "run", "options": {"script": "/etc/passwd"}})", "!", "", 400,
       "path_option"},
      {"POST", "/api/v1/jobs",
       R"({"plugin": "demo", "action": "run", "options": {"outbox": "/tmp"}})", "!", "", 400,
       "path_option"},
      {"POST", "/api/v1/jobs", R"({"plugin": "demo", "action": "run", "topics": []})", "!", "", 400,
       "invalid_field"},
      {"GET", "/api/v1/jobs", "", "", "", 401, "missing_token"},
      {"GET", "/api/v1/jobs", "", "wrong-token", "", 401, "wrong_token"},
      {"POST", "/api/v1/accounts", "{\"nickname\": \"" + big + "\"}", "!", "", 413,
       "body_too_large"},
      {"GET", "/api/v1/outbox/..%2F..%2Fetc%2Fpasswd/video", "", "!", "", 400, "invalid_id"},
      {"GET", "/api/v1/jobs/..%2F..", "", "!", "", 400, "invalid_id"},
      {"GET", "/api/v1/outbox/../../etc/passwd", "", "!", "", 404, "not_found"},
      {"GET", "/api/v1/jobs", "", "!", "evil.example:" + std::to_string(port_), 403,
       "host_not_allowed"},
      {"GET", "/api/v1/accounts/nobody", "", "!", "", 404, "unknown_account"},
      {"PATCH", "/api/v1/accounts/main", R"({"fields": {"niche": 5}})", "!", "", 400,
       "invalid_account"},
      {"POST", "/api/v1/accounts",
       R"({"plugin": "demo", "nickname": "main", "fields": {"niche": "x"}})", "!", "", 409,
       "account_exists"},
      {"PUT", "/api/v1/jobs", "{}", "!", "", 405, "method_not_allowed"},
      {"GET", "/api/v1/jobs?limit=abc", "", "!", "", 400, "invalid_query"},
      {"POST", "/api/v1/schedules", R"({"plugin": "demo", "action": "run", "cron": "61 * * * *"})",
       "!", "", 400, "invalid_field"},
  };
  for (const Case &c : cases) {
    HttpCall h{c.method, c.target, c.body, c.token == "!" ? credentials_.token : c.token,
               c.host,   {}};
    HttpAnswer a = http_call(port_, h);
    EXPECT_EQ(a.status, c.status) << c.method << " " << c.target << ": " << a.body;
    EXPECT_EQ(a.error_code(), c.code) << c.method << " " << c.target << ": " << a.body;
    EXPECT_EQ(a.header("content-type"), "application/json") << c.target;
    EXPECT_EQ(a.body.find(credentials_.token), std::string::npos);
  }
  EXPECT_EQ(dump(), before);
  // The server still answers, and the two token failures did not lock this address out.
  EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
}

TEST_F(Api, RepeatedFailuresFromOneAddressAreSlowedDown) {
  for (int i = 0; i < 6; ++i) EXPECT_EQ(call("GET", "/api/v1/health", "", "guess").status, 401);
  HttpAnswer a = call("GET", "/api/v1/health");  // even the right token waits now
  EXPECT_EQ(a.status, 429);
  EXPECT_EQ(a.error_code(), "too_many_failures");
  EXPECT_EQ(a.header("retry-after"), "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
}

TEST_F(Api, TheLoginCodeIsTradedForTheTokenOnce) {
  const std::string link = server_->login_link();
  const std::string code = link.substr(link.find("#code=") + 6);
  EXPECT_EQ(link.find("http://127.0.0.1:" + std::to_string(port_) + "/login#code="), 0u);
  EXPECT_EQ(call("POST", "/api/v1/login", R"({"code": "wrong"})", "").status, 401);
  HttpAnswer a = call("POST", "/api/v1/login", "{\"code\": \"" + code + "\"}", "");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.json().at("token").as_string(), credentials_.token);
  a = call("POST", "/api/v1/login", "{\"code\": \"" + code + "\"}", "");
  EXPECT_EQ(a.status, 401);  // used
  EXPECT_EQ(a.body.find(credentials_.token), std::string::npos);
}

TEST_F(Api, ThePageIsServedWithoutATokenUnderAStrictPolicy) {
  HttpAnswer page = call("GET", "/", "", "");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  const std::string csp = page.header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
  EXPECT_EQ(page.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(page.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(page.header("cache-control"), "no-cache");
  EXPECT_TRUE(page.header("set-cookie").empty());
  EXPECT_NE(page.body.find("<script src=\"/app.js\""), std::string::npos);
  // The login link's page is the same page (the code is in the fragment, never sent).
  HttpAnswer login = call("GET", "/login", "", "");
  EXPECT_EQ(login.status, 200);
  EXPECT_EQ(login.body, page.body);
  for (auto [path, type] : {std::pair{"/app.js", "text/javascript; charset=utf-8"},
                            std::pair{"/app.css", "text/css; charset=utf-8"},
                            std::pair{"/icon.svg", "image/svg+xml"}}) {
    HttpAnswer f = call("GET", path, "", "");
    EXPECT_EQ(f.status, 200) << path;
    EXPECT_EQ(f.header("content-type"), type) << path;
    EXPECT_EQ(f.header("x-content-type-options"), "nosniff") << path;
  }
  // Revalidation: the same ETag is 304 without a body.
  HttpCall again{"GET", "/app.js",
                 "",    "",
                 "",    {{"If-None-Match", call("GET", "/app.js", "", "").header("etag")}}};
  HttpAnswer same = http_call(port_, again);
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  // Everything else keeps its checks: the API needs the token, other paths are 404, the page
  // is only read, and a foreign Host is refused for the page too.
  EXPECT_EQ(call("GET", "/api/v1/health", "", "").status, 401);
  EXPECT_EQ(call("GET", "/app.jsx", "", "").status, 404);
  EXPECT_EQ(call("POST", "/", "{}", "").status, 404);
  HttpAnswer rebound =
      http_call(port_, HttpCall{"GET", "/", "", "", "evil.example:" + std::to_string(port_), {}});
  EXPECT_EQ(rebound.status, 403);
}

TEST_F(Api, TheTokenIsKeptOwnerOnlyAndStaysTheSame) {
  EXPECT_TRUE(credentials_.created);
  auto perms = std::filesystem::status(root_ / "web" / "api-token").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto again = web::load_or_create_credentials(root_ / "web");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.token, credentials_.token);
  std::filesystem::permissions(root_ / "web" / "api-token", std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  EXPECT_THROW(web::load_or_create_credentials(root_ / "web"), std::runtime_error);
}

TEST_F(Api, SecretsAreWriteOnly) {
  HttpAnswer a = call(
      "POST", "/api/v1/accounts",
      std::string(
          R"({"plugin": "demo", "nickname": "main", "fields": {"niche": "cats", "api_key": ")") +
          kApiKey + "\"}}");
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.json().at("secrets"), json::array{"api_key"});
  EXPECT_EQ(a.body.find(kApiKey), std::string::npos);
  const std::string id(a.json().at("id").as_string());
  for (const std::string &t : std::vector<std::string>{"/api/v1/accounts", "/api/v1/accounts/" + id,
                                                       "/api/v1/accounts/main"}) {
    a = call("GET", t);
    EXPECT_EQ(a.status, 200) << t;
    EXPECT_EQ(a.body.find(kApiKey), std::string::npos) << t;
  }
  EXPECT_EQ(store_->get_secret(id, "api_key").value_or(""), kApiKey);
  a = call("PATCH", "/api/v1/accounts/main", R"({"fields": {"niche": "dogs"}})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.json().at("fields").at("niche"), "dogs");
  EXPECT_EQ(call("DELETE", "/api/v1/accounts/main").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/accounts/main").status, 404);
}

TEST_F(Api, ABatchMakesOneJobPerTopicAndAQueuedJobIsCancelled) {
  HttpAnswer a = call("POST", "/api/v1/jobs",
                      R"({"plugin": "demo", "action": "run", "options": {"width": 270},
                          "topics": ["octopus", "squid", "nautilus"]})");
  ASSERT_EQ(a.status, 201) << a.body;
  auto jobs = a.json().at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[1].at("options").at("topic"), "squid");
  EXPECT_EQ(jobs[1].at("options").at("width"), "270");
  EXPECT_EQ(jobs[1].at("state"), "queued");
  const std::string id(jobs[0].at("id").as_string());
  a = call("POST", "/api/v1/jobs/" + id + "/cancel");
  ASSERT_EQ(a.status, 202) << a.body;
  EXPECT_EQ(a.json().at("state"), "cancelled");
  a = call("GET", "/api/v1/jobs/" + id);
  EXPECT_EQ(a.json().at("state"), "cancelled");
  // Its events through the signed URL the job carries, without the token.
  const std::string url(jobs[0].at("events_url").as_string());
  std::string events = read_stream(port_, url, "event: end", 10);
  EXPECT_NE(events.find("event: state\ndata: {\"seq\":1"), std::string::npos)
      << "[" << events << "]";
  EXPECT_NE(events.find("\"name\":\"queued\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"name\":\"cancelled\""), std::string::npos) << events;
  EXPECT_NE(events.find("event: end\ndata: {\"state\":\"cancelled\""), std::string::npos);
  // A reconnecting client gets only what it missed; the token serves as well as the signature.
  events = read_stream(port_, url.substr(0, url.find('?')), "event: end", 10, credentials_.token,
                       "Last-Event-ID: 1\r\n");
  EXPECT_EQ(events.find("\"seq\":1,"), std::string::npos) << events;
  EXPECT_NE(events.find("\"name\":\"cancelled\""), std::string::npos) << events;
  EXPECT_NE(events.find("event: end"), std::string::npos);
  // A tampered or another job's signature is refused.
  std::string tampered = url;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(call("GET", tampered, "", "").status, 403);
  const std::string other(jobs[1].at("id").as_string());
  EXPECT_EQ(
      call("GET", "/api/v1/jobs/" + other + "/events" + url.substr(url.find('?')), "", "").status,
      403);
  EXPECT_EQ(call("GET", url.substr(0, url.find('?')), "", "").status, 401);
}

TEST_F(Api, AnEventWrittenInThisProcessReachesItsStreamAtOnce) {
  // The stream would look in the store only every 10 s: what arrives sooner was rung.
  std::promise<void> set;
  boost::asio::post(io_, [&] {
    api_->event_poll_ms = 10000;
    set.set_value();
  });
  set.get_future().wait();
  HttpAnswer a = call("POST", "/api/v1/jobs", R"({"plugin": "demo", "action": "run"})");
  ASSERT_EQ(a.status, 201) << a.body;
  const json::value job = a.json().at("jobs").at(0);
  namespace beast = boost::beast;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  const std::string req = "GET " + std::string(job.at("events_url").as_string()) +
                          " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n\r\n";
  boost::asio::write(stream, boost::asio::buffer(req));
  auto read_until = [&](const std::string &marker) {
    std::string got;
    char buf[4096];
    stream.expires_after(std::chrono::seconds(5));
    while (got.find(marker) == std::string::npos) {
      beast::error_code ec;
      got.append(buf, stream.read_some(boost::asio::buffer(buf), ec));
      if (ec) break;
    }
    return got;
  };
  // The stream is open: it has sent what was there (the job's "queued").
  ASSERT_NE(read_until("\"name\":\"queued\"").find("\"name\":\"queued\""), std::string::npos);
  // A worker of this process writes a step (its own connection, as JobWorker does).
  schedule::JobEvents worker_events(store::Location(root_ / "automuse.db"));
  const auto written = std::chrono::steady_clock::now();
  worker_events.add(
      {std::string(job.at("id").as_string()), 0, 0, "step_started", "render", {}, {}});
  const std::string got = read_until("\"name\":\"render\"");
  const auto delay = std::chrono::steady_clock::now() - written;
  EXPECT_NE(got.find("event: step_started"), std::string::npos) << got;
  EXPECT_LT(delay, std::chrono::seconds(2)) << "the stream waited for its next poll";
}

TEST_F(Api, SchedulesAreAddedPausedResumedAndRemoved) {
  HttpAnswer a = call("POST", "/api/v1/schedules",
                      R"({"plugin": "demo", "action": "run", "preset": "daily",
                          "options": {"topic": "tides"}})");
  ASSERT_EQ(a.status, 201) << a.body;
  const std::string id(a.json().at("id").as_string());
  EXPECT_EQ(call("POST", "/api/v1/schedules/" + id + "/pause").json().at("paused"), true);
  EXPECT_EQ(call("GET", "/api/v1/schedules/" + id).json().at("paused"), true);
  EXPECT_EQ(call("POST", "/api/v1/schedules/" + id + "/resume").json().at("paused"), false);
  EXPECT_EQ(call("GET", "/api/v1/schedules").json().at("schedules").as_array().size(), 1u);
  EXPECT_EQ(call("DELETE", "/api/v1/schedules/" + id).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/schedules/" + id).status, 404);
}
