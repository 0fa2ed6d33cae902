// tests/twitter/fresh_post_test.cpp — `twitter run` writes a new post every time, end to end
// through automuse-host against the fake X API and a fake LLM stuck on one idea (it would
// answer the same thing twice): the account's recent posts go into the prompt, a draft that
// nearly repeats one is refused and asked again (up to a bound, then a clear error naming the
// account), and a run resumed after a kill reuses its cached draft without asking again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/temp_folder.hpp"
#include "support/x/fake_x.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::FakeOpenAI;
using automuse::testing::FakeX;

namespace {

constexpr const char *kWriter = "You write single posts for X";
const std::string kFirst = "Salt the pasta water until it tastes like the sea.";
const std::string kFirstAgain = "salt the pasta water until it tastes like the SEA!";
const std::string kOther = "Rest a steak for five minutes before you cut it.";

class FreshPost : public ::testing::Test {
 protected:
  void SetUp() override {
    x_.add_user({"1001", "cook", "ck-1", "cs-1", "at-1", "as-1", "", ""});
    json::object config{
        {"plugins", {{"twitter", {{"api_base", x_.base_url()}, {"max_rate_limit_wait_secs", 60}}}}},
        {"llm", llm_.host_config()},
        {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
    auto r = host(
        "accounts add --plugin twitter --nickname cook --set topic=cooking --set "
        "consumer_key=ck-1 --set consumer_secret=cs-1 --set access_token=at-1 --set "
        "access_token_secret=as-1");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  automuse::testing::HostResult host(const std::string &args) {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                       args);
  }

  // The user message of the chat request number `i`, and its last message.
  std::string first_user(size_t i) const {
    const json::value body = llm_.chat_bodies().at(i);
    for (const auto &m : body.at("messages").as_array())
      if (m.at("role") == "user") return std::string(m.at("content").as_string());
    return {};
  }
  std::string last_message(size_t i) const {
    return std::string(
        llm_.chat_bodies().at(i).at("messages").as_array().back().at("content").as_string());
  }

  std::vector<std::string> posted() const {
    std::vector<std::string> out;
    for (const auto &p : x_.posts()) out.push_back(p.text);
    return out;
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
  FakeX x_;
  FakeOpenAI llm_;
};

TEST_F(FreshPost, TwoRunsPostDifferentTextsAndTheSecondPromptListsTheFirst) {
  llm_.set_stuck(kWriter, {kFirst, kFirstAgain}, {kOther});
  auto first = host("--plugin twitter run --account cook");
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_EQ(llm_.chat_count(), 1u);
  EXPECT_EQ(first_user(0).find("Do not repeat"), std::string::npos);  // no history yet

  // --again: the same command again is a new run (without it the finished one is reported).
  auto second = host("--plugin twitter run --account cook --again");
  ASSERT_EQ(second.code, 0) << second.err;
  // Asked afresh, with the first post in the prompt; the stuck model's near-repeat (other
  // case, other punctuation) was refused and asked again: two more requests.
  ASSERT_EQ(llm_.chat_count(), 3u);
  EXPECT_NE(first_user(1).find("Do not repeat any of these recent posts"), std::string::npos)
      << first_user(1);
  EXPECT_NE(first_user(1).find(kFirst), std::string::npos) << first_user(1);
  EXPECT_NE(last_message(2).find("too close to \"" + kFirst + "\""), std::string::npos)
      << last_message(2);
  EXPECT_NE(second.err.find("repeats a recent post of 'cook'"), std::string::npos) << second.err;
  EXPECT_EQ(posted(), (std::vector<std::string>{kFirst, kOther}));
}

TEST_F(FreshPost, AModelThatKeepsRepeatingFailsNamingTheAccountAndPostsNothing) {
  llm_.set_stuck(kWriter, {kFirst}, {kFirstAgain});
  ASSERT_EQ(host("--plugin twitter run --account cook").code, 0);
  auto second = host("--plugin twitter run --account cook --again");
  EXPECT_NE(second.code, 0);
  EXPECT_NE(second.err.find("X account 'cook'"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("repeat its recent posts"), std::string::npos) << second.err;
  EXPECT_EQ(llm_.chat_count(), 4u);  // the first run's draft, then three refused
  EXPECT_EQ(posted(), std::vector<std::string>{kFirst});
}

TEST_F(FreshPost, AResumedRunReusesItsCachedDraftAndANewRunAsksAfresh) {
  // A model that never answers the same twice: an answer seen again is the cache's.
  llm_.set_stuck(kWriter, {kFirst, kOther, "Toast spices in a dry pan to wake them up."}, {});
  x_.rate_limit_posts(1, 50);
  {
    // Killed while it waits out X's rate limit: the draft is written, nothing is posted.
    automuse::testing::HostProcess p(
        automuse::testing::host_argv(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                     {"--plugin", "twitter", "run", "--account", "cook"}),
        automuse::testing::sandbox_env(root_));
    ASSERT_TRUE(p.wait_for_stderr(std::regex("rate limit"), std::chrono::seconds(60)));
    EXPECT_EQ(p.wait(std::chrono::milliseconds(0)), std::optional<int>(128 + SIGKILL));
  }
  ASSERT_EQ(llm_.chat_count(), 1u);
  EXPECT_TRUE(x_.posts().empty());

  auto resumed = host("--plugin twitter run --account cook");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming the interrupted run"), std::string::npos) << resumed.err;
  EXPECT_EQ(llm_.chat_count(), 1u);  // the draft came from the run's cache
  EXPECT_EQ(posted(), std::vector<std::string>{kFirst});

  // The next run is a new one: it asks again, and gets the model's next idea.
  auto next = host("--plugin twitter run --account cook --again");
  ASSERT_EQ(next.code, 0) << next.err;
  EXPECT_EQ(llm_.chat_count(), 2u);
  EXPECT_EQ(posted(), (std::vector<std::string>{kFirst, kOther}));
}

}  // namespace
