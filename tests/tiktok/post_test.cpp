// tests/tiktok/post_test.cpp — `automuse-host auth tiktok` and `tiktok post` end to end against
// FakeTikTok: TikTok's OAuth dialect (client_key, comma scopes, hex PKCE) with the tokens
// stored; a real rendered Short posted once, its bytes checked at the fake, AI-labelled and with
// the widest privacy offered, and not posted again; a 50,000,123-byte file sent in TikTok's 5
// chunks (the last 10,000,123 bytes); an inbox draft; the video rules refusing before anything is
// sent; the unaudited client's private-only rule explained; and `youtube generate
// --also-publish tiktok:chef` posting the Short it made.
#include <boost/json.hpp>
#include <fstream>

#include "mp4_boxes.hpp"
#include "support/files.hpp"
#include "support/llm/fake_openai.hpp"
#include "tiktok_host_fixture.hpp"

namespace tiktok_test {
namespace {

namespace json = boost::json;
using automuse::testing::read_file;
namespace fake_secrets = automuse::testing::fake_secrets;

TEST_F(TikTokHost, AuthUsesTikToksDialectAndStoresTheTokens) {
  authorise();
  auto challenges = fake_->challenges();
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_EQ(challenges[0].size(), 64u) << "TikTok's hex SHA-256 challenge";
  auto shown = run({"accounts", "show", "chef", "--plugin", "tiktok", "--json"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  json::value account = json::parse(shown.out);
  EXPECT_EQ(account.at("oauth").at("provider"), "tiktok");
  EXPECT_EQ(account.at("oauth").at("has_refresh_token"), true);
  EXPECT_TRUE(fake_->rejections().empty()) << fake_->rejections()[0];
  EXPECT_EQ(log_text().find(fake_secrets::kTikTokClientSecret), std::string::npos);
}

TEST_F(TikTokHost, PostsARealShortOnceWithItsBytes) {
  authorise();
  const std::string video = short_copy();
  auto r = post(video, "Three hearts, blue blood: meet the octopus \xF0\x9F\x90\x99");
  ASSERT_EQ(r.code, 0) << r.err;
  auto posts = fake_->posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].bytes, read_file(video));
  const json::object &info = posts[0].post_info.as_object();
  EXPECT_EQ(info.at("is_aigc"), true) << "AI-made content is labelled by default";
  EXPECT_EQ(info.at("privacy_level"), "PUBLIC_TO_EVERYONE");
  EXPECT_EQ(info.at("title"), "Three hearts, blue blood: meet the octopus \xF0\x9F\x90\x99");
  json::object result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("publish_id"), posts[0].publish_id.c_str());
  EXPECT_EQ(result.at("status"), "PUBLISH_COMPLETE");
  EXPECT_EQ(
      std::string(result.at("url").as_string()).rfind("https://www.tiktok.com/@automuse_test", 0),
      0u);

  // The same post again: the host answers with the run that already ended; TikTok is not asked.
  auto again = post(video, "Three hearts, blue blood: meet the octopus \xF0\x9F\x90\x99");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(fake_->publishes().size(), 1u);
  EXPECT_NE(again.out.find(posts[0].publish_id), std::string::npos) << again.out;
  auto history = run({"history", "--plugin", "tiktok", "--json"});
  ASSERT_EQ(history.code, 0) << history.err;
  auto records = json::parse(history.out).as_array();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("status"), "published");
}

TEST_F(TikTokHost, FiftyMegabytesGoInTikToksFiveChunks) {
  FakeTikTok::Options options;
  options.keep_bytes = false;
  start_fake(options);
  authorise();
  const std::string video = padded_mp4("big.mp4", 50'000'123);
  auto r = post(video, "A long one");
  ASSERT_EQ(r.code, 0) << r.err;
  auto publishes = fake_->publishes();
  ASSERT_EQ(publishes.size(), 1u);
  EXPECT_EQ(publishes[0].chunk_size, 10'000'000u);
  EXPECT_EQ(publishes[0].total_chunk_count, 5u);
  EXPECT_EQ(publishes[0].received, 50'000'123u);
  EXPECT_EQ(publishes[0].crc32, file_crc(video));
  auto puts = fake_->puts();
  ASSERT_EQ(puts.size(), 5u);
  EXPECT_EQ(puts[4].first, 40'000'000u);
  EXPECT_EQ(puts[4].body_bytes, 10'000'123u);
  EXPECT_EQ(puts[4].status, 201u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(puts[i].status, 206u);
  EXPECT_EQ(fake_->posts().size(), 1u);
}

TEST_F(TikTokHost, DraftGoesToTheInbox) {
  authorise();
  auto r = post(short_copy(), "For later", {"--draft"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto publishes = fake_->publishes();
  ASSERT_EQ(publishes.size(), 1u);
  EXPECT_TRUE(publishes[0].inbox);
  EXPECT_EQ(json::parse(r.out).at("status"), "SEND_TO_USER_INBOX");
}

TEST_F(TikTokHost, VideoRulesRefuseBeforeAnythingIsSent) {
  FakeTikTok::Account short_limit;
  short_limit.max_video_post_duration_sec = 5;
  start_fake({}, short_limit);
  authorise();
  Mp4Spec small;
  small.width = 270;
  small.height = 480;
  automuse::testing::write_file(root_ / "small.mp4", mp4_file(small));
  auto r = post((root_ / "small.mp4").string(), "tiny");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("breaks TikTok's rules: resolution: 270x480"), std::string::npos) << r.err;
  Mp4Spec late;
  late.moov_first = false;
  automuse::testing::write_file(root_ / "late.mp4", mp4_file(late));
  r = post((root_ / "late.mp4").string(), "late index");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("moov at the front"), std::string::npos) << r.err;
  r = post(padded_mp4("long.mp4", 20000), "ten seconds");  // 10 s, the creator allows 5
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("duration: 10 s, over the 5 s this creator may post"), std::string::npos)
      << r.err;
  EXPECT_TRUE(fake_->publishes().empty());
  EXPECT_TRUE(fake_->puts().empty());
}

TEST_F(TikTokHost, UnauditedClientsPostPrivatelyOnly) {
  fake_->unaudited_client(true);
  authorise();
  auto r = post(short_copy(), "public?");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("has not passed TikTok's audit"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SELF_ONLY"), std::string::npos) << r.err;
  EXPECT_TRUE(fake_->posts().empty());

  // A private account posting SELF_ONLY is what an unaudited app may do.
  FakeTikTok::Account private_account;
  private_account.private_account = true;
  start_fake({}, private_account);
  fake_->unaudited_client(true);
  authorise();
  r = post(short_copy("private.mp4"), "just me", {"--privacy", "SELF_ONLY"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(fake_->posts().size(), 1u);
  EXPECT_EQ(fake_->posts()[0].post_info.at("privacy_level"), "SELF_ONLY");
}

TEST_F(TikTokHost, YoutubeAlsoPublishPostsTheShortItMade) {
  authorise();
  automuse::testing::FakeOpenAI llm;
  llm.set_answer([](const json::array &messages) -> std::string {
    return json::serialize(messages).find("social media post") != std::string::npos
               ? "Three hearts, blue blood: meet the octopus."
               : "no idea";
  });
  json::object config = json::parse(read_file(root_ / "automuse.json")).as_object();
  config["llm"] = llm.host_config();
  std::ofstream(root_ / "automuse.json") << json::serialize(config);
  std::ofstream(root_ / "script.txt") << "An octopus has three hearts. Its blood is blue.";
  auto r = run({"--plugin", "youtube", "generate", "--script", (root_ / "script.txt").string(),
                "--title", "Octopus facts", "--width", "360", "--height", "640", "--outbox",
                (root_ / "outbox").string(), "--also-publish", "tiktok:chef"},
               300);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string video(json::parse(r.out).at("video").as_string());
  auto posts = fake_->posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].bytes, read_file(video));
  EXPECT_EQ(posts[0].post_info.at("title"), "Three hearts, blue blood: meet the octopus.");
}

}  // namespace
}  // namespace tiktok_test
