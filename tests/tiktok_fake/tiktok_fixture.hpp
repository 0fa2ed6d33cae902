// tests/tiktok_fake/tiktok_fixture.hpp — what the fake's tests share: a fake with one account
// and its tokens, and the request bodies and calls of the posting API.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "support/tiktok/fake_tiktok.hpp"
#include "tiktok_fake/tiktok_client.hpp"

namespace automuse::testing::tiktok_test {

namespace json = boost::json;
inline constexpr uint64_t kMiB = 1ull << 20;

inline json::object file_upload(uint64_t size, uint64_t chunk, uint64_t count) {
  return {{"source", "FILE_UPLOAD"},
          {"video_size", size},
          {"chunk_size", chunk},
          {"total_chunk_count", count}};
}

inline json::object post_info(const char *privacy = "SELF_ONLY") {
  return {{"title", "A short #automuse"},
          {"privacy_level", privacy},
          {"disable_duet", false},
          {"disable_comment", false},
          {"disable_stitch", false},
          {"video_cover_timestamp_ms", 1000},
          {"brand_content_toggle", false},
          {"brand_organic_toggle", false},
          {"is_aigc", true}};
}

// A fake with one account authorised for every scope.
struct Posting {
  explicit Posting(FakeTikTok::Options options = {true}, FakeTikTok::Account account = {})
      : fake(options) {
    open_id = fake.add_account(account);
    token = fake.authorise(open_id).access_token;
  }

  Answer creator_info(const std::string &bearer = "") {
    return post_json(fake.api_base() + "/v2/post/publish/creator_info/query/",
                     bearer.empty() ? token : bearer, "");
  }
  Answer init(const json::object &body, const std::string &bearer = "") {
    return post_json(fake.api_base() + "/v2/post/publish/video/init/",
                     bearer.empty() ? token : bearer, json::serialize(body));
  }
  Answer init(uint64_t size, uint64_t chunk, uint64_t count, const char *privacy = "SELF_ONLY") {
    return init(
        {{"post_info", post_info(privacy)}, {"source_info", file_upload(size, chunk, count)}});
  }
  Answer inbox_init(const json::object &body, const std::string &bearer = "") {
    return post_json(fake.api_base() + "/v2/post/publish/inbox/video/init/",
                     bearer.empty() ? token : bearer, json::serialize(body));
  }
  Answer status(const std::string &publish_id, const std::string &bearer = "") {
    return post_json(fake.api_base() + "/v2/post/publish/status/fetch/",
                     bearer.empty() ? token : bearer,
                     json::serialize(json::object{{"publish_id", publish_id}}));
  }

  FakeTikTok fake;
  std::string open_id, token;
};

inline std::string data_string(const Answer &a, const char *key) {
  return std::string(a.json().at("data").at(key).as_string());
}

// The answer is TikTok's v2 error envelope with `code`, and `status`.
inline void expect_refusal(const Answer &a, unsigned status, const std::string &code,
                           const std::string &what = "") {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.status, status) << a.body;
  ASSERT_EQ(a.code(), code) << a.body;
  const json::object o = a.json().as_object();
  EXPECT_TRUE(o.at("data").is_object()) << a.body;
  EXPECT_FALSE(o.at("error").at("message").as_string().empty()) << a.body;
  EXPECT_FALSE(o.at("error").at("log_id").as_string().empty()) << a.body;
}

inline void expect_ok(const Answer &a) {
  ASSERT_EQ(a.status, 200u) << a.body << a.error;
  ASSERT_EQ(a.code(), "ok") << a.body;
}

}  // namespace automuse::testing::tiktok_test
