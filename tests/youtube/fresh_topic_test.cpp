// tests/youtube/fresh_topic_test.cpp — `youtube generate` without --topic picks a new topic
// every time, end to end through automuse-host (real espeak-ng, title cards, FFmpeg) with a fake
// LLM stuck on one idea: the account's recent topics and titles go into the topic prompt, a
// near-repeat is refused and asked again, a model that keeps repeating fails naming the
// account, and a job killed while rendering resumes with its accepted topic, asking nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::FakeOpenAI;

namespace {

constexpr const char *kPlanner = "You plan YouTube Shorts";
const std::string kFirst = "Why an octopus has three hearts";
const std::string kFirstAgain = "\"why an Octopus has THREE hearts?\"";
const std::string kOther = "How the mantis shrimp punches faster than a bullet";

std::string message(const json::value &body, const char *role, bool last = false) {
  std::string out;
  for (const auto &m : body.at("messages").as_array())
    if (m.at("role") == role) {
      out = std::string(m.at("content").as_string());
      if (!last) break;
    }
  return out;
}

class FreshTopic : public ::testing::Test {
 protected:
  void SetUp() override {
    // Every other step answers plainly; metadata and prompts as JSON.
    llm_.set_answer([](const json::array &messages) -> std::string {
      const std::string system(messages.at(0).at("content").as_string());
      if (system.find("voice-over") != std::string::npos)
        return "Octopuses are odd.\nFollow for more.";
      if (system.find("YouTube metadata") != std::string::npos)
        return R"({"title": "Ocean oddities", "description": "Odd. #shorts", "tags": ["ocean"]})";
      // As many image prompts as the request has scenes: "Scenes (N):".
      const std::string user(messages.at(1).at("content").as_string());
      std::smatch m;
      std::regex_search(user, m, std::regex(R"(Scenes \((\d+)\))"));
      json::array prompts;
      for (int i = m.empty() ? 1 : std::stoi(m[1]); i > 0; --i)
        prompts.emplace_back("A reef at dusk");
      return json::serialize(json::object{{"prompts", prompts}});
    });
    json::object config{{"llm", llm_.host_config()}, {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
    auto r = host("accounts add --plugin youtube --nickname ocean --set niche='ocean animals'");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  automuse::testing::HostResult host(const std::string &args) {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                       args);
  }
  std::vector<std::string> generate_args() const {
    return {"--plugin",
            "youtube",
            "generate",
            "--account",
            "ocean",
            "--width",
            "270",
            "--height",
            "480",
            "--outbox",
            (root_ / "outbox").string()};
  }
  automuse::testing::HostResult generate() {
    std::string args;
    for (const auto &a : generate_args()) args += automuse::testing::shell_quote(a) + " ";
    return host(args);
  }

  // The chat requests that asked for a topic, in order.
  std::vector<json::value> topic_requests() const {
    std::vector<json::value> out;
    for (const auto &b : llm_.chat_bodies())
      if (message(b, "system").find(kPlanner) != std::string::npos) out.push_back(b);
    return out;
  }
  // The topics in the account's history, sorted: two runs may fall in one second, and the
  // listing's order between them is not what these tests check.
  std::vector<std::string> topics() {
    auto r = host("history --plugin youtube --json");
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::string> out;
    const json::value records = json::parse(r.out);
    for (const auto &rec : records.as_array())
      out.emplace_back(rec.at("extra").at("topic").as_string());
    std::sort(out.begin(), out.end());
    return out;
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
  FakeOpenAI llm_;
};

TEST_F(FreshTopic, TwoRunsMakeDifferentTopicsAndTheSecondPromptListsTheFirst) {
  llm_.set_stuck(kPlanner, {kFirst, kFirstAgain}, {kOther});
  auto first = generate();
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_EQ(topic_requests().size(), 1u);
  EXPECT_EQ(message(topic_requests()[0], "user").find("Do not repeat"), std::string::npos);

  auto second = generate();
  ASSERT_EQ(second.code, 0) << second.err;
  // Asked afresh with the first video's topic and title in the prompt; the near-repeat was
  // refused and asked again.
  auto asked = topic_requests();
  ASSERT_EQ(asked.size(), 3u);
  const std::string prompt = message(asked[1], "user");
  EXPECT_NE(prompt.find("Do not repeat any of these recent videos"), std::string::npos) << prompt;
  EXPECT_NE(prompt.find(kFirst), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("Ocean oddities"), std::string::npos) << prompt;
  EXPECT_NE(message(asked[2], "user", true).find("too close to \"" + kFirst + "\""),
            std::string::npos);
  EXPECT_NE(second.err.find("repeats a recent video of 'ocean'"), std::string::npos) << second.err;
  EXPECT_EQ(topics(), (std::vector<std::string>{kOther, kFirst}));
  // The script was written about the new topic.
  bool scripted = false;
  for (const auto &b : llm_.chat_bodies())
    scripted |= message(b, "user").find("about: " + kOther) != std::string::npos;
  EXPECT_TRUE(scripted);
}

TEST_F(FreshTopic, AModelThatKeepsRepeatingFailsNamingTheAccount) {
  llm_.set_stuck(kPlanner, {kFirst}, {kFirstAgain});
  ASSERT_EQ(generate().code, 0);
  auto second = generate();
  EXPECT_NE(second.code, 0);
  EXPECT_NE(second.err.find("account 'ocean'"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("--topic"), std::string::npos) << second.err;
  EXPECT_EQ(topic_requests().size(), 4u);  // the first run's, then three refused
  EXPECT_EQ(topics(), std::vector<std::string>{kFirst});
}

TEST_F(FreshTopic, AJobKilledWhileRenderingResumesWithItsTopicAskingNothing) {
  llm_.set_stuck(kPlanner, {kFirst, kFirstAgain}, {kOther, "Why whales sing"});
  ASSERT_EQ(generate().code, 0);
  size_t before = 0;
  {
    automuse::testing::HostProcess p(
        automuse::testing::host_argv(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                     generate_args()),
        automuse::testing::sandbox_env(root_));
    ASSERT_TRUE(p.wait_for_stderr(std::regex("step render: start"), std::chrono::seconds(120)));
    EXPECT_EQ(p.wait(std::chrono::milliseconds(0)), std::optional<int>(128 + SIGKILL));
    before = llm_.chat_count();
  }
  ASSERT_EQ(topic_requests().size(), 3u);  // the refused repeat was asked again
  auto resumed = generate();
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  std::string asked_again;
  const auto bodies = llm_.chat_bodies();
  for (size_t i = before; i < bodies.size(); ++i)
    asked_again += message(bodies[i], "system") + "\n";
  EXPECT_EQ(llm_.chat_count(), before)
      << "the resumed job asked the LLM again: " << asked_again << resumed.err;
  EXPECT_EQ(topics(), (std::vector<std::string>{kOther, kFirst}));
}

}  // namespace
