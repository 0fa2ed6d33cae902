// tests/oauth/auth_host_test.cpp — `automuse-host auth youtube|twitter --account A` as a user
// runs it: the host is a child process, the test reads the authorize URL it prints and plays
// the browser against the fake authorization server. YouTube: the refresh token is stored
// where the plugin's own token path (youtube_api.cpp's access_token, compiled in) reads and
// refreshes it; access_denied, a timeout and a missing client secret fail clearly. X: a
// confidential client (HTTP Basic) on its registered callback port, and the stored access
// token then really posts through the fake X API. Nothing secret reaches stdout, stderr or
// the log file, even at -vv.
#include <gtest/gtest.h>
#include <unistd.h>

#include <automuse/cpp/job.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <string>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "http/http_client.hpp"
#include "http/http_service.hpp"
#include "store/store.hpp"
#include "store/store_service.hpp"
#include "support/host_process.hpp"
#include "support/oauth/fake_browser.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/sandbox_store.hpp"
#include "support/temp_folder.hpp"
#include "support/x/fake_x.hpp"
#include "youtube_api.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace automuse;
using automuse::testing::browser_visit;
using automuse::testing::FakeOAuth;
using automuse::testing::FakeX;
using automuse::testing::HostProcess;
using automuse::testing::HostResult;
using automuse::testing::read_file;
using namespace std::chrono_literals;

namespace {

const char *kGoogleId = "1234-test.apps.googleusercontent.com";
const char *kGoogleSecret = "GOCSPX-host-test-secret";
const char *kXId = "x-host-client";
const char *kXSecret = "x-host-client-secret";

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::address_v4::loopback(), 0});
  return a.local_endpoint().port();
}

FakeOAuth::Client google_client() {
  FakeOAuth::Client c;
  c.id = kGoogleId;
  c.secret = kGoogleSecret;
  c.auth = FakeOAuth::ClientAuth::post;
  c.required_scopes = {"https://www.googleapis.com/auth/youtube.upload"};
  c.required_params = {{"access_type", "offline"}, {"prompt", "consent"}};
  return c;
}

FakeOAuth::Client x_client(uint16_t port) {
  FakeOAuth::Client c;
  c.id = kXId;
  c.secret = kXSecret;
  c.auth = FakeOAuth::ClientAuth::basic;
  c.required_scopes = {"tweet.read", "tweet.write", "users.read", "offline.access", "media.write"};
  c.redirect_path = "/callback";
  c.redirect_port = port;
  return c;
}

// The youtube plugin's own token path, in process, on the database the host wrote: a forced
// refresh sends the stored refresh token to the fake and returns the new access token.
std::string youtube_access_token(const store::Location &db, const std::string &account,
                                 const std::string &token_url) {
  store::Store st(db);
  store::StoreService store_service(st);
  core::Runtime runtime(1, 1);
  http::HttpClient client(runtime.io());
  http::HttpService http(client);
  core::ServiceRegistry registry;
  registry.add(AM_JOB_SERVICE_ID, core::job_service());
  registry.add(AM_HTTP_SERVICE_ID, http.table());
  registry.add(AM_STORE_SERVICE_ID, store_service.table());
  auto plugin = core::make_plugin_context("youtube", registry, runtime);
  auto job = runtime.make_job("youtube-token");
  youtube::ApiConfig config;
  config.client_id = kGoogleId;
  config.client_secret = kGoogleSecret;
  config.token_url = token_url;
  std::promise<std::string> result;
  am::job j(am::host(&plugin->host), job.get());
  job->post([&] {
    am::spawn(youtube::access_token(j, account, config, true),
              [&](am::outcome<std::string> &&o) noexcept {
                if (o.ok()) return result.set_value(*o.value);
                try {
                  std::rethrow_exception(o.exception);
                } catch (const std::exception &e) {
                  result.set_value(std::string("error: ") + e.what());
                }
              });
  });
  auto f = result.get_future();
  if (f.wait_for(20s) != std::future_status::ready) std::abort();
  std::string token = f.get();
  job->wait_idle();
  runtime.stop();
  return token;
}

class AuthHost : public ::testing::Test {
 protected:
  void SetUp() override { write_config(true); }
  void write_config(bool with_google_secret) {
    json::object youtube{{"client_id", kGoogleId},
                         {"authorize_url", google_.authorize_url()},
                         {"token_url", google_.token_url()}};
    if (with_google_secret) youtube["client_secret"] = kGoogleSecret;
    json::object config{{"plugins",
                         {{"youtube", youtube},
                          {"twitter",
                           {{"api_base", x_.base_url()},
                            {"authorize_url", xauth_.authorize_url()},
                            {"oauth_token_url", xauth_.token_url()},
                            {"client_secret", kXSecret},
                            {"redirect_port", x_port_}}}}},
                        {"log", {{"file", true}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }

  std::vector<std::string> env() const {
    std::vector<std::string> e = automuse::testing::sandbox_env(root_);
    e.push_back("XDG_CACHE_HOME=" + (root_ / "cache").string());
    return e;
  }
  std::vector<std::string> argv(const std::vector<std::string> &args) const {
    return automuse::testing::host_argv(HOST_EXE, PLUGIN_DIR, root_, args);
  }

  // A command that needs no browser: run it to the end.
  HostResult run(const std::vector<std::string> &args) {
    HostProcess p(argv(args), env());
    auto code = p.wait(60s);
    return {code.value_or(-1), p.out(), p.err()};
  }

  // The authorize URL the host printed for the fake at `fake_port`.
  static std::string printed_url(HostProcess &p, FakeOAuth &fake) {
    std::regex re("http://127\\.0\\.0\\.1:" + std::to_string(fake.server().port()) +
                  "/authorize\\?[^\\s]+");
    auto url = p.wait_for_stderr(re, 30s);
    EXPECT_TRUE(url) << "no authorize URL printed; stderr:\n" << p.err();
    return url.value_or("");
  }

  std::string log_text() const {
    return read_file(root_ / "data" / "automuse" / "logs" / "automuse.log");
  }

  // None of `secrets` in any output or the log file.
  void expect_nothing_secret(const HostProcess &p, const std::vector<std::string> &secrets) {
    const std::string log = log_text();
    EXPECT_FALSE(log.empty()) << "the log file was expected at -vv";
    for (const auto &s : secrets) {
      ASSERT_FALSE(s.empty());
      EXPECT_EQ(p.out().find(s), std::string::npos) << "stdout has a secret";
      EXPECT_EQ(p.err().find(s), std::string::npos) << "stderr has a secret";
      EXPECT_EQ(log.find(s), std::string::npos) << "the log has a secret";
    }
  }

  FakeOAuth google_{google_client()};
  uint16_t x_port_ = free_port();
  FakeOAuth xauth_{x_client(x_port_)};
  FakeX x_;
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

TEST_F(AuthHost, YoutubeStoresARefreshTokenThePluginUses) {
  ASSERT_EQ(run({"accounts", "add", "--plugin", "youtube", "--nickname", "chef", "--set",
                 "niche=cooking"})
                .code,
            0);
  HostProcess p(argv({"-v", "-v", "auth", "youtube", "--account", "chef", "--no-browser"}), env());
  const std::string url = printed_url(p, google_);
  auto visit = browser_visit(url);
  EXPECT_EQ(visit.page.status, 200u) << visit.page.body;
  EXPECT_NE(visit.page.body.find("AutoMuse is authorised (YouTube account &#39;chef&#39;)"),
            std::string::npos)
      << visit.page.body;
  ASSERT_EQ(p.wait(60s), 0) << p.err();
  json::value result = json::parse(p.out());
  EXPECT_EQ(result.at("account"), "chef");
  EXPECT_EQ(result.at("authorised"), true);
  EXPECT_NE(p.err().find("open this address in a web browser"), std::string::npos) << p.err();
  EXPECT_TRUE(google_.failures().empty()) << google_.failures()[0];

  auto issued = google_.issued();
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_TRUE(issued[0].redeemed);
  expect_nothing_secret(p, {issued[0].code, issued[0].verifier, issued[0].access_token,
                            issued[0].refresh_token, kGoogleSecret});

  // The account shows as authorised, and the plugin's token path refreshes with what was
  // stored (the fake only accepts the refresh token it issued).
  auto shown = run({"accounts", "show", "chef", "--plugin", "youtube", "--json"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  json::value account = json::parse(shown.out);
  EXPECT_EQ(account.at("oauth").at("provider"), "google");
  EXPECT_EQ(account.at("oauth").at("has_refresh_token"), true);
  const std::string access =
      youtube_access_token(automuse::testing::sandbox_store(root_), "chef", google_.token_url());
  EXPECT_EQ(access, google_.issued()[0].access_token);
  EXPECT_NE(access, issued[0].access_token) << "a refreshed token, not the stored one";
}

TEST_F(AuthHost, YoutubeAccessDeniedStoresNothing) {
  ASSERT_EQ(run({"accounts", "add", "--plugin", "youtube", "--nickname", "chef", "--set",
                 "niche=cooking"})
                .code,
            0);
  google_.deny_consent(true);
  HostProcess p(argv({"auth", "youtube", "--account", "chef", "--no-browser"}), env());
  browser_visit(printed_url(p, google_));
  auto code = p.wait(60s);
  EXPECT_EQ(code, 1);
  EXPECT_NE(
      p.err().find("YouTube account 'chef': access was refused in the browser (access_denied)"),
      std::string::npos)
      << p.err();
  auto shown = run({"accounts", "show", "chef", "--plugin", "youtube", "--json"});
  EXPECT_FALSE(json::parse(shown.out).as_object().contains("oauth"));
}

TEST_F(AuthHost, YoutubeTimeoutSaysSo) {
  ASSERT_EQ(run({"accounts", "add", "--plugin", "youtube", "--nickname", "chef", "--set",
                 "niche=cooking"})
                .code,
            0);
  auto r = run({"auth", "youtube", "--account", "chef", "--no-browser", "--timeout", "1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no answer from the browser within 1 s"), std::string::npos) << r.err;
}

TEST_F(AuthHost, YoutubeWithoutClientSecretNamesTheSetting) {
  write_config(false);
  ASSERT_EQ(run({"accounts", "add", "--plugin", "youtube", "--nickname", "chef", "--set",
                 "niche=cooking"})
                .code,
            0);
  auto r = run({"auth", "youtube", "--account", "chef", "--no-browser"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("plugins.youtube.client_id and client_secret are required"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(google_.server().requests().empty());
}

TEST_F(AuthHost, UnknownAccountIsNamed) {
  auto r = run({"auth", "youtube", "--account", "nobody", "--no-browser"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("nobody"), std::string::npos) << r.err;
}

TEST_F(AuthHost, TwitterAuthorisesAndThePostUsesTheNewToken) {
  x_.add_user({"1003", "newsdesk", "", "", "", "", "at-from-oauth2-flow", "rt-from-oauth2-flow"});
  xauth_.issue_next("at-from-oauth2-flow", "rt-from-oauth2-flow");
  ASSERT_EQ(run({"accounts", "add", "--plugin", "twitter", "--nickname", "news", "--set",
                 "topic=tech", "--set", std::string("client_id=") + kXId})
                .code,
            0);
  HostProcess p(argv({"-v", "-v", "auth", "twitter", "--account", "news", "--no-browser"}), env());
  const std::string url = printed_url(p, xauth_);
  EXPECT_NE(
      url.find("redirect_uri=http%3A%2F%2F127.0.0.1%3A" + std::to_string(x_port_) + "%2Fcallback"),
      std::string::npos)
      << url;
  auto visit = browser_visit(url);
  EXPECT_EQ(visit.page.status, 200u) << visit.page.body;
  ASSERT_EQ(p.wait(60s), 0) << p.err();
  EXPECT_TRUE(xauth_.failures().empty()) << xauth_.failures()[0];
  auto token_requests = xauth_.server().requests("/token");
  ASSERT_EQ(token_requests.size(), 1u);
  EXPECT_EQ(token_requests[0].header("authorization").value_or("").rfind("Basic ", 0), 0u);
  auto issued = xauth_.issued();
  ASSERT_EQ(issued.size(), 1u);
  expect_nothing_secret(p, {issued[0].code, issued[0].verifier, "at-from-oauth2-flow",
                            "rt-from-oauth2-flow", kXSecret});

  // The plugin reads the stored token: its post is authorised as user 1003.
  auto post = run({"--plugin", "twitter", "post", "--account", "news", "--text", "OAuth 2 works"});
  ASSERT_EQ(post.code, 0) << post.err;
  auto posts = x_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].user_id, "1003");
  EXPECT_EQ(posts[0].text, "OAuth 2 works");
}

TEST_F(AuthHost, TwitterWithoutClientIdNamesTheField) {
  ASSERT_EQ(
      run({"accounts", "add", "--plugin", "twitter", "--nickname", "news", "--set", "topic=tech"})
          .code,
      0);
  auto r = run({"--plugin", "twitter", "auth", "--account", "news", "--no-browser"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("X account 'news' has no client_id"), std::string::npos) << r.err;
}

}  // namespace
