// tests/instagram/faults_test.cpp — the Instagram plugin through FakeInstagram's faults: an
// expired or refused token (log in again, naming the account), a token older than a day
// refreshed once and stored, spam and limit refusals, the publishing limit read before any
// container, a container ending ERROR or EXPIRED replaced by a new one, a lost media_publish
// reply settled by reading the container (never a second post, with and without the media
// listed), an unreadable container left uncertain and settled by a later --again run, a rate
// limit waited out, and a Short breaking the Reel rules refused before any request.
#include "instagram_fixture.hpp"

namespace instagram_test {
namespace {

using Step = FakeInstagram::Step;
using GraphError = FakeInstagram::GraphError;

class InstagramFaults : public InstagramHost {
 protected:
  void SetUp() override {
    InstagramHost::SetUp();
    ig_.resumable_with_instagram_login(true);
    add_account();
    put_token();
  }
  bool err_has(const HostResult &r, const std::string &text) {
    return r.err.find(text) != std::string::npos;
  }
};

TEST_F(InstagramFaults, AnExpiredTokenAsksToLogInAgain) {
  put_token(kToken, -60);
  auto r = post("Late", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "Instagram account 'chef'")) << r.err;
  EXPECT_TRUE(err_has(r, "log in again with `automuse-host auth instagram --account chef`"))
      << r.err;
  EXPECT_EQ(ig_.graph_server().requests().size(), 0u);
  expect_no_secrets(r);
}

TEST_F(InstagramFaults, Code190FromInstagramAsksToLogInAgain) {
  ig_.fail_next(Step::create, GraphError::token_expired);
  auto r = post("Refused", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "Instagram account 'chef'")) << r.err;
  EXPECT_TRUE(err_has(r, "code 190/463")) << r.err;
  EXPECT_TRUE(err_has(r, "log in again with `automuse-host auth instagram --account chef`"))
      << r.err;
  EXPECT_TRUE(ig_.reels().empty());
}

TEST_F(InstagramFaults, ATokenOlderThanADayIsRefreshedOnceAndStored) {
  // The fake's clock and the stored expiry both say the token is 26 hours old.
  ig_.advance_clock(26 * 3600);
  put_token(kToken, FakeInstagram::kLongLivedExpiresIn - 26 * 3600);
  auto r = post("Fresh token", video_);
  ASSERT_EQ(r.code, 0) << r.err << ::testing::PrintToString(ig_.refusals());
  EXPECT_EQ(ig_.graph_server().requests("/refresh_access_token").size(), 1u);
  const std::string now = stored_token();
  EXPECT_NE(now, kToken);
  ASSERT_TRUE(ig_.token(now));
  EXPECT_EQ(ig_.token(now)->kind, FakeInstagram::TokenKind::long_lived);
  expect_one_reel(video_, "Fresh token");
  // A younger token is left alone.
  auto again = post("No refresh", make_video("second.mp4", 3.2));
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(ig_.graph_server().requests("/refresh_access_token").size(), 1u);
  expect_no_secrets(r);
}

TEST_F(InstagramFaults, ASpamRefusalStopsAfterReadingTheContainer) {
  ig_.fail_next(Step::publish, GraphError::spam);
  auto r = post("Spammy", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "Instagram account 'chef'")) << r.err;
  EXPECT_TRUE(err_has(r, "restricted the action as spam")) << r.err;
  EXPECT_TRUE(ig_.reels().empty());
  const json::array p = publications();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].at("state"), "failed");
}

TEST_F(InstagramFaults, ASpamRefusalAfterThePostIsFoundPublished) {
  ig_.spam_refusal_after_next_publish();
  auto r = post("Went out anyway", video_);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_one_reel(video_, "Went out anyway");
  const json::object result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("id"), ig_.reels()[0].media_id.c_str());
  EXPECT_EQ(result.at("recovered"), true);
}

TEST_F(InstagramFaults, TheDailyLimitOnPublishIsReportedAsQuota) {
  ig_.fail_next(Step::publish, GraphError::daily_limit);
  auto r = post("Too many", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "daily publishing limit")) << r.err;
  EXPECT_TRUE(ig_.reels().empty());
}

TEST_F(InstagramFaults, AReachedPublishingLimitStopsBeforeAnyContainer) {
  ig_.set_quota_total(25);
  ig_.use_quota(kUserId, 25);
  auto r = post("Over the limit", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "Instagram account 'chef' has reached its publishing limit: 25 of 25"))
      << r.err;
  EXPECT_TRUE(ig_.containers().empty());
}

TEST_F(InstagramFaults, AContainerEndingInErrorOrExpiredIsReplaced) {
  ig_.next_container_ends(FakeInstagram::End::error, 2207053);
  auto r = post("Second container", video_);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_one_reel(video_, "Second container");
  EXPECT_EQ(ig_.containers().size(), 2u);
  ig_.next_container_ends(FakeInstagram::End::expired);
  auto again = post("After expiry", make_video("other.mp4", 3.3));
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(ig_.containers().size(), 4u);
  EXPECT_EQ(ig_.reels().size(), 2u);
}

TEST_F(InstagramFaults, AnUnsupportedFormatStopsWithItsMeaning) {
  ig_.next_container_ends(FakeInstagram::End::error, 2207026);
  auto r = post("Bad format", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "Instagram does not support the video's format")) << r.err;
  EXPECT_EQ(ig_.containers().size(), 1u);
}

TEST_F(InstagramFaults, ALostPublishReplyNeverPostsTwice) {
  ig_.lose_next_publish_reply();
  auto r = post("Lost reply", video_);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_one_reel(video_, "Lost reply");
  const json::object result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("id"), ig_.reels()[0].media_id.c_str());
  EXPECT_EQ(result.at("recovered"), true);
  EXPECT_EQ(ig_.faults_served()["lost_publish_reply"], 1);
}

TEST_F(InstagramFaults, ALostReplyWithTheReelUnlistedIsStillPublished) {
  ig_.lose_next_publish_reply();
  ig_.media_list_shows_reels(false);
  auto r = post("Unlisted", video_);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_one_reel(video_, "Unlisted");
  const json::object result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("id"), "");
  EXPECT_EQ(result.at("url"), "https://www.instagram.com/chefreels/");
}

TEST_F(InstagramFaults, AnUnreadableContainerIsUncertainAndALaterRunSettlesIt) {
  ig_.lose_next_publish_reply();
  ig_.fail_after_next_publish(Step::status, GraphError::server_error, 100);
  auto r = post("Unknown", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "the Reel may be published")) << r.err;
  EXPECT_TRUE(err_has(r, "@chefreels")) << r.err;
  EXPECT_EQ(ig_.reels().size(), 1u);
  EXPECT_EQ(publications()[0].at("state"), "uncertain");
  // Run again: the ledger refuses by itself; with --again the container is read, not re-sent.
  ig_.fail_next(Step::status, GraphError::server_error, 0);
  auto refused = post("Unknown", video_);
  EXPECT_NE(refused.code, 0);
  EXPECT_EQ(ig_.reels().size(), 1u);
  auto settled = post("Unknown", video_, "--again");
  ASSERT_EQ(settled.code, 0) << settled.err;
  EXPECT_EQ(ig_.reels().size(), 1u);
  EXPECT_EQ(ig_.containers().size(), 1u);
  EXPECT_EQ(json::parse(settled.out).as_object().at("recovered"), true);
}

TEST_F(InstagramFaults, ARateLimitIsWaitedOut) {
  ig_.fail_next(Step::create, GraphError::user_rate_limit);
  auto r = post("Patient", video_);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_one_reel(video_, "Patient");
  EXPECT_TRUE(err_has(r, "rate limit")) << r.err;
}

TEST_F(InstagramFaults, TransientServerErrorsAreRetried) {
  ig_.fail_next(Step::create, GraphError::server_error);
  ig_.fail_next(Step::publish, GraphError::create_failed);
  auto r = post("Retried", video_);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_one_reel(video_, "Retried");
}

TEST_F(InstagramFaults, AShortBreakingTheRulesIsRefusedBeforeAnyRequest) {
  auto r = post("Too short", make_video("tiny.mp4", 1.5));
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(err_has(r, "Instagram account 'chef'")) << r.err;
  EXPECT_TRUE(err_has(r, "duration: 1.5 s, Instagram takes 3 s to 15 min")) << r.err;
  EXPECT_EQ(ig_.graph_server().requests().size(), 0u);
  auto check =
      host("--plugin instagram check --video " + shell_quote((root_ / "tiny.mp4").string()));
  EXPECT_NE(check.code, 0);
  EXPECT_TRUE(err_has(check, "duration: 1.5 s")) << check.err;
}

}  // namespace
}  // namespace instagram_test
