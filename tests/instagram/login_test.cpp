// tests/instagram/login_test.cpp — `automuse-host auth instagram --account chef` as a user runs
// it: the host prints Instagram's consent address, the test plays the browser against
// FakeInstagram's login host, the code comes back to the host's loopback listener (with
// Instagram's trailing "#_"), is exchanged with comma-separated scopes for a short-lived token
// inside {"data":[...]} (and, in the other reading, as a bare object), which the plugin turns
// into the long-lived token it stores with its expiry; the stored token then publishes a Reel.
// A refusal in the browser and a refused code fail clearly, storing nothing; no secret is
// printed.
#include <regex>

#include "instagram_fixture.hpp"
#include "support/oauth/fake_browser.hpp"

namespace instagram_test {
namespace {

using namespace std::chrono_literals;

class InstagramLogin : public InstagramHost {
 protected:
  void SetUp() override {
    InstagramHost::SetUp();
    ig_.add_user({"17841400000000002", "newchef", FakeInstagram::Login::instagram, ""});
    ig_.set_consenting_user("17841400000000002");
    add_account();
  }
  std::vector<std::string> argv(const std::vector<std::string> &args) {
    return automuse::testing::host_argv(automuse::testing::host_exe(HOST_EXE),
                                        automuse::testing::plugin_dir(PLUGIN_DIR), root_, args);
  }
  // Runs `auth`, plays the browser; returns the host's result.
  HostResult login(unsigned expect_page = 200) {
    automuse::testing::HostProcess p(
        argv({"-v", "auth", "instagram", "--account", "chef", "--no-browser"}),
        automuse::testing::sandbox_env(root_));
    std::regex re(std::regex_replace(ig_.authorize_url(), std::regex("[.?]"), "\\$&") +
                  "\\?[^\\s]+");
    auto url = p.wait_for_stderr(re, 30s);
    EXPECT_TRUE(url) << "no authorize URL printed; stderr:\n" << p.err();
    if (url) {
      EXPECT_NE(url->find("scope=instagram_business_basic%2Cinstagram_business_content_publish"),
                std::string::npos)
          << *url;
      auto visit = automuse::testing::browser_visit(*url);
      EXPECT_EQ(visit.page.status, expect_page) << visit.page.body;
    }
    HostResult r;
    r.code = p.wait(60s).value_or(-1);
    r.out = p.out();
    r.err = p.err();
    return r;
  }
};

TEST_F(InstagramLogin, LogsInStoresTheLongLivedTokenAndPublishesWithIt) {
  auto r = login();
  ASSERT_EQ(r.code, 0) << r.err << ::testing::PrintToString(ig_.refusals());
  const std::string stored = stored_token();
  const auto token = ig_.token(stored);
  ASSERT_TRUE(token) << "the stored token is not one the fake issued";
  EXPECT_EQ(token->kind, FakeInstagram::TokenKind::long_lived);
  EXPECT_EQ(token->user_id, "17841400000000002");
  // Stored with its expiry, about 60 days out.
  auto s = store();
  auto t = s.get_oauth_token(s.resolve_account("chef", "instagram").id);
  ASSERT_TRUE(t && t->expires_at);
  EXPECT_NEAR(static_cast<double>(*t->expires_at - now_seconds()),
              static_cast<double>(FakeInstagram::kLongLivedExpiresIn), 120);
  const json::object result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("authorised"), true);
  expect_no_secrets(r);
  EXPECT_EQ(r.err.find(stored), std::string::npos);
  // The stored token publishes as the user who consented.
  ig_.resumable_with_instagram_login(true);
  auto post_result = post("Logged in", video_);
  ASSERT_EQ(post_result.code, 0) << post_result.err;
  ASSERT_EQ(ig_.reels().size(), 1u);
  EXPECT_EQ(ig_.reels()[0].user_id, "17841400000000002");
}

TEST_F(InstagramLogin, ABareCodeExchangeAnswerAndPkceWorkToo) {
  ig_.wrap_code_exchange(false);
  ig_.require_pkce(true);
  auto r = login();
  ASSERT_EQ(r.code, 0) << r.err << ::testing::PrintToString(ig_.refusals());
  EXPECT_TRUE(ig_.token(stored_token()));
}

TEST_F(InstagramLogin, ARefusalInTheBrowserStoresNothing) {
  ig_.deny_consent(true);
  auto r = login();
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("access_denied"), std::string::npos) << r.err;
  EXPECT_EQ(stored_token(), "");
}

TEST_F(InstagramLogin, ARefusedCodeIsExplained) {
  ig_.fail_next_code_exchange("Matching code was not found or was already used");
  auto r = login(502);  // the browser is told too
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("Matching code was not found or was already used"), std::string::npos)
      << r.err;
  EXPECT_EQ(stored_token(), "");
  expect_no_secrets(r);
}

TEST_F(InstagramLogin, WithoutTheAppSecretItSaysWhatToSet) {
  auto added = host("accounts add --plugin instagram --nickname bare --set app_id=1234567890");
  ASSERT_EQ(added.code, 0) << added.err;
  auto r = host("auth instagram --account bare --no-browser");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("Instagram account 'bare' needs its Instagram app's id and secret"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace instagram_test
