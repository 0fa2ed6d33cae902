// tests/instagram/cross_post_test.cpp — `youtube generate --also-publish instagram:chef`: a real
// Short made offline by the youtube plugin (espeak-ng speech, title cards, the renderer) is
// rendered without edit lists because a video-only publisher will take it, and is shared
// through the instagram plugin's publisher (loaded on demand) into FakeInstagram as a Reel:
// the very bytes of the outbox's video, with the post the LLM (fake OpenAI) wrote as its
// caption, recorded in the ledger.
#include "instagram_fixture.hpp"
#include "support/llm/fake_openai.hpp"

namespace instagram_test {
namespace {

TEST_F(InstagramHost, AYoutubeShortIsAlsoPublishedAsAReel) {
  automuse::testing::FakeOpenAI llm;
  llm.set_answer([](const json::array &messages) -> std::string {
    // Only the cross-post is answered; the other steps fall back to the script.
    if (json::serialize(messages).find("social media post") == std::string::npos) return "no idea";
    return "Three hearts, blue blood: meet the octopus.";
  });
  write_config(json::object{});
  {
    json::object config =
        json::parse(automuse::testing::read_file(root_ / "automuse.json")).as_object();
    config["llm"] = llm.host_config();
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }
  ig_.resumable_with_instagram_login(true);
  add_account();
  put_token();
  std::ofstream(root_ / "script.txt")
      << "An octopus has three hearts and blue blood. It can taste with its arms, change colour "
         "in a blink, and squeeze through any gap larger than its beak.";
  auto r =
      host("--plugin youtube generate --script " + shell_quote((root_ / "script.txt").string()) +
           " --title 'Octopus facts' --width 270 --height 480 --outbox " +
           shell_quote((root_ / "outbox").string()) + " --also-publish instagram:chef");
  ASSERT_EQ(r.code, 0) << r.err << ::testing::PrintToString(ig_.refusals());
  const auto reels = ig_.reels();
  ASSERT_EQ(reels.size(), 1u);
  EXPECT_EQ(reels[0].caption, "Three hearts, blue blood: meet the octopus.");
  // The Reel is the outbox's video, byte for byte.
  bool found = false;
  for (const auto &entry : fs::recursive_directory_iterator(root_ / "outbox"))
    if (entry.path().extension() == ".mp4") {
      const std::string bytes = automuse::testing::read_file(entry.path());
      EXPECT_EQ(reels[0].sha256, sha256_hex(bytes)) << entry.path();
      found = true;
    }
  EXPECT_TRUE(found);
  const json::object result = json::parse(r.out).as_object();
  const json::array shared = result.at("shared").as_array();
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared[0].at("plugin"), "instagram");
  EXPECT_EQ(shared[0].at("text"), "Three hearts, blue blood: meet the octopus.");
  EXPECT_EQ(shared[0].at("id"), reels[0].media_id.c_str());
  const json::array p = publications();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].at("state"), "published");
  expect_no_secrets(r);
}

}  // namespace
}  // namespace instagram_test
