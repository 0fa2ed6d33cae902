// tests/youtube/cross_post_test.cpp — `--also-publish twitter:ACCOUNT`: a Short made by the
// youtube plugin is shared through the twitter plugin's publisher (automuse.publish/1, the
// twitter plugin loaded on demand) into the fake X API, with a post the LLM (fake OpenAI)
// writes; a post X would refuse as too long goes back to the LLM with the measured length.
// Bad targets fail before any work is done.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/temp_folder.hpp"
#include "support/x/fake_x.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

using automuse::testing::HostResult;
using automuse::testing::read_file;
using automuse::testing::shell_quote;

bool is_cross_post_request(const json::array &messages) {
  return json::serialize(messages).find("social media post") != std::string::npos;
}

class CrossPost : public ::testing::Test {
 protected:
  void SetUp() override {
    x_.add_user({"1001", "cook", "ck-1", "cs-1", "at-1", "as-1", "", ""});
    json::object config{
        {"plugins", {{"twitter", {{"api_base", x_.base_url()}, {"media_segment_bytes", 65536}}}}},
        {"llm", llm_.host_config()},
        {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
    std::ofstream(root_ / "script.txt") << "An octopus has three hearts. Its blood is blue.";
    auto r = host(
        "accounts add --plugin twitter --nickname cook --set topic=oceans --set consumer_key=ck-1 "
        "--set consumer_secret=cs-1 --set access_token=at-1 --set access_token_secret=as-1");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  HostResult host(const std::string &args) {
    return automuse::testing::run_host(HOST_EXE, PLUGIN_DIR, root_, args);
  }

  HostResult generate(const std::string &also_publish) {
    return host("--plugin youtube generate --script " +
                shell_quote((root_ / "script.txt").string()) +
                " --title 'Octopus facts' --width 270 --height 480 --outbox " +
                shell_quote((root_ / "outbox").string()) + " --also-publish " + also_publish);
  }

  automuse::testing::FakeX x_;
  automuse::testing::FakeOpenAI llm_;
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

TEST_F(CrossPost, SharesTheVideoOnXWithAPostTheLlmRewritesUntilItFits) {
  std::string too_long = "Octopuses are amazing:";
  while (too_long.size() < 320) too_long += " they have three hearts and blue blood";
  const std::string short_post = "Three hearts, blue blood: meet the octopus.";
  int asked = 0;
  llm_.set_answer([&](const json::array &messages) -> std::string {
    // Only the cross-post is answered; the other steps get prose where JSON is wanted and
    // fall back to the script, as they would with a weak model.
    if (!is_cross_post_request(messages)) return "no idea";
    return ++asked == 1 ? too_long : "\"" + short_post + "\"";
  });

  auto r = generate("twitter:cook");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(asked, 2);
  // The second request carried X's refusal with the measured length.
  bool reasked_with_length = false;
  for (const auto &body : llm_.chat_bodies()) {
    const std::string text = json::serialize(body);
    if (text.find("was refused") != std::string::npos &&
        text.find("weighted characters") != std::string::npos)
      reasked_with_length = true;
  }
  EXPECT_TRUE(reasked_with_length);

  // One post on X, with the rendered video attached (the Short stayed in the outbox, so the
  // video itself is shared), whose uploaded bytes are the file's.
  auto result = json::parse(r.out).as_object();
  const std::string video(result.at("video").as_string());
  auto posts = x_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text, short_post);
  ASSERT_EQ(posts[0].media_ids.size(), 1u);
  auto media = x_.media();
  ASSERT_EQ(media.size(), 1u);
  std::string uploaded;
  for (const auto &[index, bytes] : media[0].segments) uploaded += bytes;
  EXPECT_EQ(uploaded, read_file(video));

  // The result lists the share; the twitter plugin's history has exactly the text posted.
  const auto &shared = result.at("shared").as_array();
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared[0].at("plugin"), "twitter");
  EXPECT_EQ(shared[0].at("account"), "cook");
  EXPECT_EQ(shared[0].at("text"), short_post.c_str());
  EXPECT_EQ(shared[0].at("id"), posts[0].id.c_str());
  auto history = host("history --plugin twitter --json");
  ASSERT_EQ(history.code, 0) << history.err;
  auto records = json::parse(history.out).as_array();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("body"), short_post.c_str());
}

TEST_F(CrossPost, BadTargetsFailBeforeAnyWork) {
  auto r = generate("nosuchplugin:main");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("nosuchplugin"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "outbox")) << "nothing should have been made";

  r = generate("twitter");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("PLUGIN:ACCOUNT"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "outbox"));
  EXPECT_EQ(llm_.chat_count(), 0u);
  EXPECT_TRUE(x_.posts().empty());
}

TEST_F(CrossPost, AnUnknownXAccountIsNamedAndTheShortIsKept) {
  llm_.set_answer([](const json::array &messages) -> std::string {
    return is_cross_post_request(messages) ? "Meet the octopus." : "no idea";
  });
  auto r = generate("twitter:nobody");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("nobody"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the Short is made"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(root_ / "outbox"));
  EXPECT_TRUE(x_.posts().empty());
}

}  // namespace
