// tests/web/browser_test.cpp — the dashboard page in a real browser, end to end: a real
// `automuse-host serve` (youtube plugin, offline, its own data folder) on a free loopback port,
// and tests/web/browser/dashboard.mjs driving Debian's chromium (headless) through playwright-core
// against it: log in through the one-time link, add an account and a schedule, make a Short
// through the create form while the progress bar rises, play the video (ranges answered 206, a
// seek), approve it, find it in history. The screenshots stay in the build tree
// (tests/web/browser-output/). Afterwards the API is asked what the page did.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "serve_fixture.hpp"
#include "support/files.hpp"

using namespace automuse::testing;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

class Browser : public ServeFixture {
 protected:
  json::value get(const std::string &target) {
    return http_call(port_, HttpCall{"GET", target, "", token_, "", {}}).json();
  }
};

bool is_png(const fs::path &p) {
  return read_file(p).substr(0, 8) == "\x89PNG\r\n\x1a\n";
}

}  // namespace

TEST_F(Browser, TheDashboardMakesPlaysApprovesAndListsAShort) {
  auto host = start({"serve", "--slots", "2"});
  ASSERT_NE(port_, 0);
  const std::string link = login_link_;
  // The approval gate is exercised once the API has it (POST /jobs/{id}/approve).
  const bool approval =
      read_file(OPENAPI_DOC).find("\"/api/v1/jobs/{id}/approve\"") != std::string::npos;
  const fs::path out = BROWSER_OUT;
  fs::remove_all(out);
  // The link travels in the environment, never on a command line or in the test's output.
  HostResult r =
      run_in_sandbox(root_,
                     std::string("node ") + BROWSER_SCRIPT + " " + shell_quote(out.string()) +
                         (approval ? " --approval" : ""),
                     {"AUTOMUSE_LOGIN_LINK=" + link, "CHROMIUM=" + std::string(CHROMIUM_EXE)});
  std::cout << r.out;
  EXPECT_EQ(r.code, 0) << r.out << r.err << host->err();
  EXPECT_NE(r.out.find("the progress bar took at least three increasing values"),
            std::string::npos);
  for (const char *shot : {"dashboard-desktop.png", "dashboard-phone.png"})
    EXPECT_TRUE(is_png(out / shot)) << shot;

  // What the page did, as the API sees it.
  json::value jobs = get("/api/v1/jobs");
  ASSERT_TRUE(jobs.is_object()) << "no answer from the API";
  const json::object &job = jobs.at("jobs").at(0).as_object();
  EXPECT_EQ(job.at("state"), "done");  // approved first when the gate is there
  EXPECT_EQ(job.at("options").at("width"), "270");
  if (approval) {
    EXPECT_EQ(job.at("approval"), "required");
    EXPECT_TRUE(job.at("approved_ms").is_int64()) << json::serialize(job);
  }
  json::value history = get("/api/v1/history?kind=video");
  EXPECT_NE(json::serialize(history).find("Octopus facts"), std::string::npos);
  json::value accounts = get("/api/v1/accounts");
  EXPECT_EQ(accounts.at("accounts").at(0).at("nickname"), "seafacts");
  EXPECT_EQ(accounts.at("accounts").at(0).at("secrets").at(0), "refresh_token");
  json::value schedules = get("/api/v1/schedules");
  EXPECT_EQ(schedules.at("schedules").at(0).at("paused"), true);
  // Neither the token, the login code nor the account's secret reached the browser script's
  // output or the host's log.
  const std::string code = link.substr(link.find("#code=") + 6);
  for (const std::string &secret :
       {token_, code, std::string("1//browser-test-refresh-token-0123456789")}) {
    EXPECT_EQ(r.out.find(secret), std::string::npos);
    EXPECT_EQ(r.err.find(secret), std::string::npos);
    EXPECT_EQ(read_file(root_ / "data/automuse/logs/automuse.log").find(secret), std::string::npos);
  }
}
