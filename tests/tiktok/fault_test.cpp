// tests/tiktok/fault_test.cpp — the TikTok plugin under FakeTikTok's faults, through the real
// host: a 416 after a lost chunk answer (both readings of Content-Range's end), a chunk answered
// 5xx, an upload URL expiring, an expired access token refreshed (and the replaced refresh token
// stored, so a second refresh works), spam and cap refusals explained, a lost answer after the
// server acted (last chunk, init) never making a second post, a post that ends FAILED explained,
// and a crash right after the init settled by asking the status first.
#include <boost/json.hpp>

#include "support/files.hpp"
#include "tiktok_host_fixture.hpp"

namespace tiktok_test {
namespace {

namespace json = boost::json;
using automuse::testing::read_file;
using namespace std::chrono_literals;

int count_status(const std::vector<FakeTikTok::Put> &puts, unsigned status) {
  int n = 0;
  for (const auto &p : puts) n += p.status == status;
  return n;
}

TEST_F(TikTokHost, A416AfterALostChunkAnswerMovesOnFromTheServersPosition) {
  for (bool last_byte : {false, true}) {
    SCOPED_TRACE(last_byte ? "Content-Range ends at the last byte" : "ends at the count held");
    FakeTikTok::Options options;
    options.keep_bytes = false;
    start_fake(options);
    fake_->content_range_ends_at_last_byte(last_byte);
    fake_->lose_chunk_reply(2);  // taken, its answer lost: the resend gets a 416
    authorise();
    const std::string video = padded_mp4(last_byte ? "b.mp4" : "a.mp4", 30'000'000);
    auto r = post(video, last_byte ? "three chunks b" : "three chunks a");
    ASSERT_EQ(r.code, 0) << r.err;
    auto puts = fake_->puts();
    EXPECT_EQ(count_status(puts, 416), 1);
    EXPECT_EQ(puts.size(), 4u) << "chunk 1, 2 (answer lost), 2 again (416), 3";
    ASSERT_EQ(fake_->posts().size(), 1u);
    EXPECT_EQ(fake_->posts()[0].crc32, file_crc(video));
  }
}

TEST_F(TikTokHost, AChunkAnswered5xxIsSentAgain) {
  fake_->fail_chunk(1, 503);
  authorise();
  const std::string video = short_copy();
  auto r = post(video, "after a 503");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake_->faults_served()["5xx"], 1);
  ASSERT_EQ(fake_->posts().size(), 1u);
  EXPECT_EQ(fake_->posts()[0].bytes, read_file(video));
}

TEST_F(TikTokHost, AnExpiredUploadUrlOpensANewPublishAndPostsOnce) {
  fake_->expire_upload_url_at_chunk(1);
  authorise();
  auto r = post(short_copy(), "after an expired URL");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake_->publishes().size(), 2u);
  EXPECT_EQ(fake_->posts().size(), 1u);
}

TEST_F(TikTokHost, AnExpiredAccessTokenIsRefreshedAndTheNewRefreshTokenKept) {
  authorise();
  fake_->expire_access_tokens();
  auto r = post(short_copy("one.mp4"), "first");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake_->refreshes(), 1);
  // TikTok replaced the refresh token: only the stored new one can refresh again.
  fake_->expire_access_tokens();
  r = post(short_copy("two.mp4"), "second");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake_->refreshes(), 2);
  EXPECT_EQ(fake_->posts().size(), 2u);
  // Refreshed ahead of expiry too: tokens that live less than the margin.
  fake_->access_token_lifetime(std::chrono::seconds(60));
  fake_->expire_access_tokens();
  r = post(short_copy("three.mp4"), "third");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake_->refreshes(), 3);
  r = post(short_copy("four.mp4"), "fourth");  // its 60 s token is inside the 300 s margin
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake_->refreshes(), 4);
}

TEST_F(TikTokHost, SpamAndCapRefusalsAreExplainedAndNothingIsSent) {
  authorise();
  fake_->refuse_creator_info("spam_risk_too_many_posts");
  auto r = post(short_copy("a.mp4"), "one too many");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("daily posting cap"), std::string::npos) << r.err;
  fake_->refuse_init("reached_active_user_cap");
  r = post(short_copy("b.mp4"), "cap");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("active posting users"), std::string::npos) << r.err;
  fake_->refuse_creator_info("spam_risk_user_banned_from_posting");
  r = post(short_copy("c.mp4"), "banned");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("banned this account"), std::string::npos) << r.err;
  EXPECT_TRUE(fake_->puts().empty());
  EXPECT_TRUE(fake_->posts().empty());
}

TEST_F(TikTokHost, ALostAnswerAfterTheServerActedMakesNoSecondPost) {
  authorise();
  fake_->lose_chunk_reply(1);  // the Short's only chunk: taken, posting began, answer lost
  const std::string video = short_copy("a.mp4");
  auto r = post(video, "lost chunk answer");
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(fake_->posts().size(), 1u);
  EXPECT_EQ(fake_->publishes().size(), 1u);
  EXPECT_EQ(count_status(fake_->puts(), 416), 1) << "the resend learnt the server had it";

  fake_->lose_next_init_reply();  // a publish made, its answer lost: it never gets bytes
  r = post(short_copy("b.mp4"), "lost init answer");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fake_->publishes().size(), 3u);
  EXPECT_EQ(fake_->posts().size(), 2u) << "one post per video";
}

TEST_F(TikTokHost, AFailedPostIsExplained) {
  authorise();
  fake_->fail_next_post("frame_rate_check_failed");
  auto r = post(short_copy(), "refused media");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("TikTok refused the video itself"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("frame_rate_check_failed"), std::string::npos) << r.err;
}

TEST_F(TikTokHost, ACrashAfterTheInitIsSettledByAskingTheStatusFirst) {
  authorise();
  // A short lease: the next run takes over the crashed run's job once its lease lapsed.
  json::object config = json::parse(read_file(root_ / "automuse.json")).as_object();
  config["queue"] = {{"lease_seconds", 3}, {"renew_seconds", 1}};
  automuse::testing::write_file(root_ / "automuse.json", json::serialize(config));
  fake_->stall_chunk(1, 20s);
  const std::string video = short_copy();
  {
    HostProcess p = spawn({"--plugin", "tiktok", "post", "--account", "chef", "--video", video,
                           "--caption", "crash test"});
    for (int i = 0; i < 500 && fake_->faults_served()["stalled_chunk"] == 0; ++i)
      std::this_thread::sleep_for(20ms);
    ASSERT_EQ(fake_->faults_served()["stalled_chunk"], 1) << p.err();
    EXPECT_EQ(p.wait(0ms), 128 + SIGKILL);  // killed mid-upload
  }
  auto first = fake_->publishes();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(first[0].status.empty()) << "not asked yet";
  auto r = post(video, "crash test");
  ASSERT_EQ(r.code, 0) << r.err;
  auto publishes = fake_->publishes();
  ASSERT_EQ(publishes.size(), 2u);
  EXPECT_EQ(publishes[0].status, "PROCESSING_UPLOAD") << "the stored publish_id was asked about";
  EXPECT_NE(r.err.find("asking TikTok about it"), std::string::npos) << r.err;
  ASSERT_EQ(fake_->posts().size(), 1u);
  EXPECT_EQ(fake_->posts()[0].bytes, read_file(video));
}

}  // namespace
}  // namespace tiktok_test
