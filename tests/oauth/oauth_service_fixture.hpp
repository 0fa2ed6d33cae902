// tests/oauth/oauth_service_fixture.hpp — automuse.oauth/1 in process on the host core's runtime
// and jobs, started through the SDK's C++ helper with the test playing the browser: shared by
// the service's tests (oauth_service_test.cpp) and the provider dialect tests
// (oauth_dialect_test.cpp).
#pragma once

#include <automuse/oauth.h>
#include <gtest/gtest.h>

#include <atomic>
#include <automuse/cpp/oauth.hpp>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "http/http_client.hpp"
#include "http/http_service.hpp"
#include "oauth/oauth_service.hpp"
#include "support/oauth/fake_oauth.hpp"

namespace automuse::oauth {

inline constexpr const char *kUpload = "https://www.googleapis.com/auth/youtube.upload";

class OAuthServiceTest : public ::testing::Test {
 protected:
  OAuthServiceTest() {
    registry_.add(AM_JOB_SERVICE_ID, core::job_service());
    registry_.add(AM_HTTP_SERVICE_ID, http_.table());
    registry_.add(AM_OAUTH_SERVICE_ID, service_.table());
    plugin_ = core::make_plugin_context("oauth-test", registry_, runtime_);
    job_ = runtime_.make_job("oauth-test");
  }
  ~OAuthServiceTest() override {
    job_->cancel();
    job_->wait_idle();
    runtime_.stop();
  }

  const am_oauth *table() const {
    return static_cast<const am_oauth *>(
        plugin_->host.get_service(&plugin_->host, AM_OAUTH_SERVICE_ID));
  }

  // One authorisation through the SDK's C++ helper: the URL arrives in `url`, the outcome in
  // the returned future.
  struct Started {
    std::future<std::pair<std::string, std::string>> url;  // authorize URL, redirect URI
    std::future<am::oauth_result> result;
  };
  Started start(am::oauth_request req) {
    auto url = std::make_shared<std::promise<std::pair<std::string, std::string>>>();
    auto result = std::make_shared<std::promise<am::oauth_result>>();
    Started s{url->get_future(), result->get_future()};
    req.on_url = [url](std::string_view u, std::string_view r) {
      url->set_value({std::string(u), std::string(r)});
    };
    auto calls = std::make_shared<std::atomic<int>>(0);
    am::job j(am::host(&plugin_->host), job_.get());
    job_->post([j, req = std::move(req), result, calls, this]() mutable {
      am::spawn(am::oauth(j).authorize(std::move(req)),
                [result, calls, this](am::outcome<am::oauth_result> &&o) noexcept {
                  ++completions_;
                  am::oauth_result r;
                  if (o.ok()) {
                    r = std::move(*o.value);
                  } else {
                    r.status = AM_INTERNAL;
                    r.error = "the helper threw";
                  }
                  if (calls->fetch_add(1) == 0) result->set_value(std::move(r));
                });
    });
    return s;
  }

  am::oauth_request google_request(const automuse::testing::FakeOAuth &fake) {
    am::oauth_request r;
    r.label = "YouTube account 'chef'";
    r.authorize_url = fake.authorize_url();
    r.token_url = fake.token_url();
    r.client_id = "1234-test.apps.googleusercontent.com";
    r.client_secret = "GOCSPX-test-secret-42";
    r.scopes = {kUpload};
    r.params = {{"access_type", "offline"}, {"prompt", "consent"}};
    r.browser = AM_OAUTH_BROWSER_NEVER;
    r.timeout_ms = 20000;
    return r;
  }

  static am::oauth_result get(std::future<am::oauth_result> &f) {
    if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      ADD_FAILURE() << "the authorisation did not complete";
      std::abort();  // the coroutine still refers to the fixture
    }
    return f.get();
  }
  static std::pair<std::string, std::string> get(
      std::future<std::pair<std::string, std::string>> &f) {
    EXPECT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready)
        << "no authorize URL";
    return f.get();
  }

  std::string printed() {
    std::lock_guard lock(printed_mutex_);
    return printed_;
  }

  core::Runtime runtime_{1, 1};
  http::HttpClient client_{runtime_.io()};
  http::HttpService http_{client_};
  std::mutex printed_mutex_;
  std::string printed_;
  OAuthService service_{http_.table(), [this](std::string_view text) {
                          std::lock_guard lock(printed_mutex_);
                          printed_ += text;
                        }};
  core::ServiceRegistry registry_;
  std::unique_ptr<core::PluginContext> plugin_;
  std::shared_ptr<am_job> job_;
  std::atomic<int> completions_{0};
};

}  // namespace automuse::oauth
