// tests/tiktok_fake/posting_test.cpp — the fake's posting API: creator info per account and its
// HTTP 200 refusals, every init field checked and refused with TikTok's envelope, the
// unaudited client's rule, per-token rate limits, inbox uploads and the status machine a
// client reads after a crash.
#include <gtest/gtest.h>

#include "tiktok_fake/tiktok_fixture.hpp"

namespace automuse::testing::tiktok_test {
namespace {

constexpr uint64_t kSmall = 1'000'000;  // one chunk

json::array options_of(const Answer &a) {
  return a.json().at("data").at("privacy_level_options").as_array();
}

TEST(FakeTikTokPosting, CreatorInfoOffersPrivacyByAccount) {
  Posting pub;
  Answer a = pub.creator_info();
  expect_ok(a);
  EXPECT_EQ(options_of(a),
            (json::array{"PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"}));
  EXPECT_EQ(a.json().at("data").at("max_video_post_duration_sec"), 600);

  FakeTikTok::Account priv;
  priv.private_account = true;
  priv.max_video_post_duration_sec = 180;
  Posting closed(FakeTikTok::Options{true}, priv);
  Answer b = closed.creator_info();
  expect_ok(b);
  EXPECT_EQ(options_of(b),
            (json::array{"FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"}));
  EXPECT_EQ(b.json().at("data").at("max_video_post_duration_sec"), 180);
  expect_refusal(closed.init(kSmall, kSmall, 1, "PUBLIC_TO_EVERYONE"), 403,
                 "privacy_level_option_mismatch");
  expect_ok(closed.init(kSmall, kSmall, 1, "FOLLOWER_OF_CREATOR"));
}

TEST(FakeTikTokPosting, CreatorInfoRefusalsComeWithHttp200) {
  Posting posting;
  posting.fake.refuse_creator_info("spam_risk_too_many_posts");
  posting.fake.refuse_creator_info("reached_active_user_cap");
  expect_refusal(posting.creator_info(), 200, "spam_risk_too_many_posts");
  expect_refusal(posting.creator_info(), 200, "reached_active_user_cap");
  expect_ok(posting.creator_info());
}

TEST(FakeTikTokPosting, InitRefusesBadFieldsWithTikToksEnvelope) {
  Posting posting;
  posting.fake.rate_limits(false);
  auto with = [](const char *key, json::value v) {
    json::object info = post_info();
    info[key] = std::move(v);
    return json::object{{"post_info", info}, {"source_info", file_upload(kSmall, kSmall, 1)}};
  };
  auto without = [](const char *key) {
    json::object info = post_info();
    info.erase(key);
    return json::object{{"post_info", info}, {"source_info", file_upload(kSmall, kSmall, 1)}};
  };
  std::string emoji;
  for (int i = 0; i < 1100; ++i) emoji += "\xF0\x9F\x8E\xAC";  // U+1F3AC: two UTF-16 units
  expect_ok(posting.init(with("title", json::string(emoji))));
  expect_refusal(posting.init(with("title", json::string(emoji + "a"))), 400, "invalid_param");
  expect_refusal(posting.init(without("privacy_level")), 400, "invalid_param");
  expect_refusal(posting.init(with("privacy_level", "EVERYONE")), 400, "invalid_param");
  expect_refusal(posting.init(with("is_aigc", "yes")), 400, "invalid_param");
  expect_refusal(posting.init(with("privacy", "SELF_ONLY")), 400, "invalid_param");
  expect_refusal(posting.init(with("video_cover_timestamp_ms", -1)), 400, "invalid_param");
  expect_refusal(posting.init(without("brand_content_toggle")), 400, "invalid_param");
  posting.fake.require_brand_content_toggle(false);  // the docs' example leaves it out
  expect_ok(posting.init(without("brand_content_toggle")));

  expect_refusal(posting.init(json::object{{"source_info", file_upload(kSmall, kSmall, 1)}}), 400,
                 "invalid_param");
  expect_refusal(posting.init(50'000'123, 10'000'000, 6), 400, "invalid_param", "ceil");
  expect_refusal(posting.init(50'000'123, 4 * kMiB, 11), 400, "invalid_param", "small chunks");
  expect_refusal(posting.init(130'000'000, 65'000'000, 2), 400, "invalid_param", "over 64 MB");
  expect_refusal(posting.init(100'000'000, 100'000'000, 1), 400, "invalid_param", "not split");
  json::object pull = file_upload(kSmall, kSmall, 1);
  pull["source"] = "PULL_FROM_URL";
  expect_refusal(posting.init({{"post_info", post_info()}, {"source_info", pull}}), 403,
                 "url_ownership_unverified");
  Answer text = post_json(posting.fake.api_base() + "/v2/post/publish/video/init/", posting.token,
                          "post_info=SELF_ONLY");
  expect_refusal(text, 400, "invalid_param");
  EXPECT_EQ(posting.fake.publishes().size(), 2u) << "only the two good inits made a publish";
}

TEST(FakeTikTokPosting, WhatMegabyteMeansIsASwitch) {
  Posting posting;
  expect_refusal(posting.init(12'000'000, 5'000'000, 2), 400, "invalid_param", "safe");
  posting.fake.chunk_reading(tiktok::MegaByte::decimal);
  expect_ok(posting.init(12'000'000, 5'000'000, 2));
  expect_refusal(posting.init(130'000'000, 65'000'000, 2), 400, "invalid_param", "decimal");
  posting.fake.chunk_reading(tiktok::MegaByte::binary);
  expect_ok(posting.init(130'000'000, 65'000'000, 2));
  expect_refusal(posting.init(12'000'000, 5'000'000, 2), 400, "invalid_param", "binary");
}

TEST(FakeTikTokPosting, TheDailyPostCapRefusesTheNextPost) {
  Posting posting;
  posting.fake.daily_post_cap(2);
  expect_ok(posting.init(kSmall, kSmall, 1));
  expect_ok(posting.init(kSmall, kSmall, 1));
  expect_refusal(posting.init(kSmall, kSmall, 1), 403, "spam_risk_too_many_posts");
}

TEST(FakeTikTokPosting, AnUnauditedClientPostsPrivatelyOnly) {
  Posting pub;
  pub.fake.unaudited_client(true);
  Answer refused = pub.init(kSmall, kSmall, 1, "SELF_ONLY");
  expect_refusal(refused, 403, "unaudited_client_can_only_post_to_private_accounts");

  FakeTikTok::Account priv;
  priv.private_account = true;
  Posting closed(FakeTikTok::Options{true}, priv);
  closed.fake.unaudited_client(true);
  expect_refusal(closed.init(kSmall, kSmall, 1, "MUTUAL_FOLLOW_FRIENDS"), 403,
                 "unaudited_client_can_only_post_to_private_accounts");
  expect_ok(closed.init(kSmall, kSmall, 1, "SELF_ONLY"));
}

TEST(FakeTikTokPosting, RateLimitsArePerTokenAndCanBeSwitchedOff) {
  Posting posting;
  for (int i = 0; i < 6; ++i) expect_ok(posting.init(kSmall, kSmall, 1));
  expect_refusal(posting.init(kSmall, kSmall, 1), 429, "rate_limit_exceeded");
  const std::string other = posting.fake.authorise(posting.open_id).access_token;
  expect_refusal(posting.init(kSmall, kSmall, 1), 429, "rate_limit_exceeded", "same token");
  expect_ok(posting.init(
      {{"post_info", post_info()}, {"source_info", file_upload(kSmall, kSmall, 1)}}, other));
  for (int i = 0; i < 20; ++i) expect_ok(posting.creator_info());
  expect_refusal(posting.creator_info(), 429, "rate_limit_exceeded");
  const std::string id = posting.fake.publishes()[0].publish_id;
  for (int i = 0; i < 30; ++i) expect_ok(posting.status(id));
  expect_refusal(posting.status(id), 429, "rate_limit_exceeded");
  posting.fake.rate_limits(false);
  expect_ok(posting.status(id));
  expect_ok(posting.init(kSmall, kSmall, 1));
}

TEST(FakeTikTokPosting, StatusMachineAndWhoMayAsk) {
  Posting posting;
  posting.fake.processing_polls(2);
  posting.fake.moderation_polls(1);
  Answer init = posting.init(kSmall, kSmall, 1, "PUBLIC_TO_EVERYONE");
  expect_ok(init);
  const std::string id = data_string(init, "publish_id");
  EXPECT_EQ(data_string(posting.status(id), "status"), "PROCESSING_UPLOAD") << "nothing sent yet";
  ASSERT_EQ(put_chunk(data_string(init, "upload_url"), (Chunk{0, kSmall - 1, kSmall})).status,
            201u);
  EXPECT_EQ(data_string(posting.status(id), "status"), "PROCESSING_UPLOAD");
  EXPECT_EQ(data_string(posting.status(id), "status"), "PROCESSING_UPLOAD");
  Answer done = posting.status(id);
  EXPECT_EQ(data_string(done, "status"), "PUBLISH_COMPLETE");
  EXPECT_TRUE(done.json().at("data").at("publicaly_available_post_id").as_array().empty());
  Answer moderated = posting.status(id);
  ASSERT_EQ(moderated.json().at("data").at("publicaly_available_post_id").as_array().size(), 1u);
  EXPECT_TRUE(moderated.json().at("data").at("publicaly_available_post_id").at(0).is_int64());

  expect_refusal(posting.status("v_pub_file~v2-1.000"), 400, "invalid_publish_id");
  const std::string stranger = posting.fake.add_account({});
  expect_refusal(posting.status(id, posting.fake.authorise(stranger).access_token), 400,
                 "token_not_authorized_for_specified_publish_id");
}

TEST(FakeTikTokPosting, AFailedPostSaysWhy) {
  Posting posting;
  posting.fake.processing_polls(0);
  posting.fake.fail_next_post("spam_risk_text");
  Answer init = posting.init(kSmall, kSmall, 1);
  ASSERT_EQ(put_chunk(data_string(init, "upload_url"), (Chunk{0, kSmall - 1, kSmall})).status,
            201u);
  Answer failed = posting.status(data_string(init, "publish_id"));
  expect_ok(failed);
  EXPECT_EQ(data_string(failed, "status"), "FAILED");
  EXPECT_EQ(data_string(failed, "fail_reason"), "spam_risk_text");
  EXPECT_EQ(posting.fake.posts().at(0).status, "FAILED");
}

TEST(FakeTikTokPosting, ALostInitReplyLeavesAnUnusedPublish) {
  Posting posting;
  posting.fake.lose_next_init_reply();
  EXPECT_EQ(posting.init(kSmall, kSmall, 1).status, 0u);
  ASSERT_EQ(posting.fake.publishes().size(), 1u);
  EXPECT_TRUE(posting.fake.posts().empty());
  posting.fake.refuse_init("spam_risk_too_many_posts");
  expect_refusal(posting.init(kSmall, kSmall, 1), 403, "spam_risk_too_many_posts");
  posting.fake.fail_inits(1, 502);
  EXPECT_EQ(posting.init(kSmall, kSmall, 1).status, 502u);
  EXPECT_EQ(posting.fake.publishes().size(), 1u);
}

TEST(FakeTikTokPosting, InboxUploadsGoToTheUsersInbox) {
  Posting posting;
  posting.fake.processing_polls(0);
  const json::object upload{{"source_info", file_upload(kSmall, kSmall, 1)}};
  expect_refusal(posting.inbox_init(
                     {{"post_info", post_info()}, {"source_info", file_upload(kSmall, kSmall, 1)}}),
                 400, "invalid_param");
  const std::string publish_only =
      posting.fake.authorise(posting.open_id, "user.info.basic,video.publish").access_token;
  expect_refusal(posting.inbox_init(upload, publish_only), 401, "scope_not_authorized");

  Answer init = posting.inbox_init(upload);
  expect_ok(init);
  const std::string id = data_string(init, "publish_id");
  EXPECT_EQ(id.rfind("v_inbox_file~v2.", 0), 0u);
  ASSERT_EQ(put_chunk(data_string(init, "upload_url"), (Chunk{0, kSmall - 1, kSmall})).status,
            201u);
  EXPECT_EQ(data_string(posting.status(id), "status"), "SEND_TO_USER_INBOX");
  for (int i = 0; i < 4; ++i) expect_ok(posting.inbox_init(upload));
  expect_refusal(posting.inbox_init(upload), 429, "rate_limit_exceeded", "6 per minute");
  posting.fake.rate_limits(false);
  expect_refusal(posting.inbox_init(upload), 403, "spam_risk_too_many_pending_share");
}

}  // namespace
}  // namespace automuse::testing::tiktok_test
