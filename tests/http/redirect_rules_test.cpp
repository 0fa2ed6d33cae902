// The redirect decision on its own (redirect_rules.hpp): origins, method and body rewriting,
// which headers stay home, and the refusals with their messages.
#include "http/redirect_rules.hpp"

#include <gtest/gtest.h>

namespace automuse::http {
namespace {

Request post(std::string url) {
  Request r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = "a=1";
  r.headers = {{"Authorization", "Bearer t"}, {"Content-Type", "text/plain"}, {"X-Ok", "1"}};
  return r;
}

TEST(RedirectRules, OriginIsSchemeHostAndEffectivePort) {
  EXPECT_TRUE(same_origin("https://API.example.com/a", "https://api.example.com:443/b?c"));
  EXPECT_TRUE(same_origin("http://h/a", "http://h:80/"));
  EXPECT_FALSE(same_origin("http://h/a", "https://h/a"));
  EXPECT_FALSE(same_origin("http://h:8080/", "http://h:8081/"));
  EXPECT_FALSE(same_origin("http://h/", "http://h.evil/"));
}

TEST(RedirectRules, OnlyTheFiveRedirectStatusesAreFollowed) {
  for (long code : {301, 302, 303, 307, 308}) EXPECT_TRUE(is_followed_redirect(code)) << code;
  for (long code : {200, 300, 304, 305, 306, 400}) EXPECT_FALSE(is_followed_redirect(code)) << code;
}

TEST(RedirectRules, RelativeTargetIsResolvedAndKeepsEverything) {
  RedirectStep s = follow_redirect(post("https://h/v1/x?q=1"), 307, "../v2/y");
  ASSERT_TRUE(s.next) << s.error;
  EXPECT_EQ(s.next->url, "https://h/v2/y");
  EXPECT_EQ(s.next->method, "POST");
  EXPECT_EQ(s.next->body, "a=1");
  EXPECT_EQ(s.next->headers.size(), 3u);
}

TEST(RedirectRules, SeeOtherTurnsIntoABodylessGetButHeadStaysHead) {
  RedirectStep s = follow_redirect(post("https://h/form"), 303, "/done");
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.next->method, "GET");
  EXPECT_TRUE(s.next->body.empty());
  EXPECT_FALSE(find_header(s.next->headers, "content-type"));
  EXPECT_EQ(find_header(s.next->headers, "authorization"), "Bearer t");  // same origin
  Request head;
  head.method = "HEAD";
  head.url = "https://h/a";
  EXPECT_EQ(follow_redirect(head, 302, "/b").next->method, "HEAD");
}

TEST(RedirectRules, AnotherOriginLosesCredentialsMarkedSecretsAndHost) {
  Request r;
  r.url = "https://h/a";
  r.headers = {
      {"x-goog-api-key", "k"}, {"Cookie", "c"}, {"Host", "h"}, {"X-Sig", "s"}, {"X-Ok", "1"}};
  r.secret_headers = {"x-sig"};
  RedirectStep s = follow_redirect(r, 302, "https://cdn.example/a");
  ASSERT_TRUE(s.next);
  ASSERT_EQ(s.next->headers.size(), 1u);
  EXPECT_EQ(s.next->headers[0].name, "X-Ok");
}

TEST(RedirectRules, RefusalsSayWhyAndWhere) {
  RedirectStep down = follow_redirect(post("https://h/a"), 302, "http://h/a");
  EXPECT_FALSE(down.next);
  EXPECT_EQ(down.status, AM_PERMISSION_DENIED);
  EXPECT_NE(down.error.find("from https to plain http"), std::string::npos) << down.error;
  EXPECT_NE(down.error.find("http://h/a"), std::string::npos) << down.error;

  RedirectStep body = follow_redirect(post("https://h/token"), 308, "https://other/token");
  EXPECT_FALSE(body.next);
  EXPECT_NE(body.error.find("another origin"), std::string::npos) << body.error;

  RedirectStep scheme = follow_redirect(post("https://h/a"), 301, "ftp://h/a");
  EXPECT_FALSE(scheme.next);
  EXPECT_NE(scheme.error.find("not an http(s) URL"), std::string::npos) << scheme.error;

  RedirectStep secret =
      follow_redirect(post("https://h/a?api_key=SEKRIT"), 302, "ftp://x/?token=T2");
  EXPECT_EQ(secret.error.find("SEKRIT"), std::string::npos) << secret.error;
  EXPECT_EQ(secret.error.find("T2"), std::string::npos) << secret.error;
}

}  // namespace
}  // namespace automuse::http
