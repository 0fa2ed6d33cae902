// tests/twitter/refresh_race_test.cpp — two runs of the X plugin find the same OAuth 2 access
// token expired at the same moment and must not both spend the single-use refresh token: the
// second waits on the store's refresh lock and then uses the token the first stored. On SQLite
// the two are processes of one machine sharing the database file; on PostgreSQL they are two
// "hosts" (their own config, cache and data folders) sharing one database. The fake X holds the
// first posts until both runs have sent theirs (so both meet the 401 together, however far apart
// the processes started), answers refreshes slowly, and, as X does, refuses a refresh token
// spent before (invalid_grant): without the lock the second run fails and asks for the account
// to be authorised again.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include "store/store.hpp"
#include "support/host_process.hpp"
#include "support/store_backends.hpp"
#include "support/x/fake_x.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::FakeX;
using automuse::testing::HostResult;

namespace {

class XRefreshRace : public automuse::testing::BackendTest {
 protected:
  void SetUp() override {
    x_.add_user({"1003", "oauth2", "", "", "", "", "at-current", "rt-1"});
    x_.register_oauth2_client("cid-9", "");
    x_.hold_posts_until(2);
    x_.delay_token_replies(std::chrono::milliseconds(300));
    for (const fs::path &root : {host_a_, host_b_}) {
      json::object config{{"plugins", {{"twitter", {{"api_base", x_.base_url()}}}}},
                          {"log", {{"file", false}}}};
      if (on_postgres()) config["store"] = json::object{{"url", location().url}};
      fs::create_directories(root);
      std::ofstream(root / "automuse.json") << json::serialize(config);
    }
  }

  HostResult host(const fs::path &root, const std::string &args) {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root,
                                       args);
  }

  FakeX x_;
  fs::path host_a_ = tmp.path() / "a";
  // On SQLite both runs are on one machine, sharing its data folder (and so the database).
  fs::path host_b_ = on_postgres() ? tmp.path() / "b" : host_a_;
};

TEST_P(XRefreshRace, TwoRunsSpendTheSingleUseRefreshTokenOnce) {
  HostResult added = host(host_a_,
                          "accounts add --plugin twitter --nickname o2 --set topic=tea "
                          "--set client_id=cid-9 --set bearer_token=at-expired "
                          "--set refresh_token=rt-1");
  ASSERT_EQ(added.code, 0) << added.err;
  auto post = [&](const fs::path &root, const std::string &text) {
    return std::async(std::launch::async, [this, root, text] {
      return host(root, "--plugin twitter post --account o2 --text '" + text + "'");
    });
  };
  std::future<HostResult> a = post(host_a_, "from the first host");
  std::future<HostResult> b = post(host_b_, "from the second host");
  HostResult ra = a.get(), rb = b.get();
  ASSERT_EQ(ra.code, 0) << ra.err;
  ASSERT_EQ(rb.code, 0) << rb.err;
  // One refresh at X, two posts, and the stored token is the one that refresh issued.
  EXPECT_EQ(x_.server().requests("/2/oauth2/token").size(), 1u);
  EXPECT_EQ(x_.posts().size(), 2u);
  const FakeX::User now = x_.user("1003");
  automuse::store::Store store(
      on_postgres() ? location()
                    : automuse::store::Location(host_a_ / "data/automuse/automuse.db"));
  const std::string account = store.resolve_account("o2", "twitter").id;
  std::optional<automuse::store::OAuthToken> stored = store.get_oauth_token(account);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->access_token, now.bearer_token);
  EXPECT_EQ(stored->refresh_token, now.refresh_token);
  EXPECT_NE((ra.err + rb.err).find("was refreshed by another run meanwhile"), std::string::npos)
      << ra.err << rb.err;
  // No token in any output.
  EXPECT_EQ(ra.err.find("rt-"), std::string::npos) << ra.err;
  EXPECT_EQ(rb.err.find("rt-"), std::string::npos) << rb.err;
}

AUTOMUSE_ON_BOTH_BACKENDS(XRefreshRace);

}  // namespace
