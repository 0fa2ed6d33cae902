// tests/web/units_test.cpp — the web server's parts alone: byte ranges, the Host check, signed
// URLs, the lock-out of failing clients, the router's matching, and step events read from a
// plugin's log lines.
#include <gtest/gtest.h>

#include "schedule/job_events.hpp"
#include "web/byte_range.hpp"
#include "web/credentials.hpp"
#include "web/host_check.hpp"
#include "web/login_throttle.hpp"
#include "web/router.hpp"
#include "web/url_signer.hpp"

using namespace automuse;
using namespace automuse::web;

TEST(ByteRange, OneRangeInItsThreeForms) {
  auto a = parse_range("bytes=0-99", 1000, 0);
  ASSERT_TRUE(a.range);
  EXPECT_EQ(a.range->first, 0u);
  EXPECT_EQ(a.range->last, 99u);
  a = parse_range("bytes=900-", 1000, 0);
  ASSERT_TRUE(a.range);
  EXPECT_EQ(a.range->first, 900u);
  EXPECT_EQ(a.range->last, 999u);
  a = parse_range("bytes=-10", 1000, 0);
  ASSERT_TRUE(a.range);
  EXPECT_EQ(a.range->first, 990u);
  EXPECT_EQ(a.range->length(), 10u);
  a = parse_range("bytes=990-5000", 1000, 0);  // cut at the end
  EXPECT_EQ(a.range->last, 999u);
}

TEST(ByteRange, PastTheEndIsUnsatisfiableAndOddOnesAreIgnored) {
  EXPECT_TRUE(parse_range("bytes=1000-", 1000, 0).unsatisfiable);
  EXPECT_TRUE(parse_range("bytes=-5", 0, 0).unsatisfiable);
  for (const char *h : {"bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=x-", "bytes=-", "0-1"}) {
    auto a = parse_range(h, 1000, 0);
    EXPECT_FALSE(a.range) << h;
    EXPECT_FALSE(a.unsatisfiable) << h;
  }
}

TEST(ByteRange, AnOpenRangeIsCutToTheCap) {
  auto a = parse_range("bytes=100-", 10'000'000, 4096);
  ASSERT_TRUE(a.range);
  EXPECT_EQ(a.range->length(), 4096u);
}

TEST(HostCheck, IpLiteralsAndLocalhostOnTheRightPort) {
  const std::vector<std::string> none;
  EXPECT_TRUE(host_allowed("127.0.0.1:8787", 8787, none));
  EXPECT_TRUE(host_allowed("localhost:8787", 8787, none));
  EXPECT_TRUE(host_allowed("LocalHost:8787", 8787, none));
  EXPECT_TRUE(host_allowed("[::1]:8787", 8787, none));
  EXPECT_TRUE(host_allowed("192.168.1.5:8787", 8787, none));
  EXPECT_FALSE(host_allowed("127.0.0.1:8788", 8787, none));
  EXPECT_FALSE(host_allowed("127.0.0.1", 8787, none));  // port 80 implied
  EXPECT_TRUE(host_allowed("127.0.0.1", 80, none));
}

TEST(HostCheck, NamesOnlyWhenAllowed) {
  EXPECT_FALSE(host_allowed("evil.example:8787", 8787, {}));
  EXPECT_FALSE(host_allowed("localhost.evil.example:8787", 8787, {}));
  EXPECT_TRUE(host_allowed("muse.lan:8787", 8787, {"muse.lan"}));
  EXPECT_FALSE(host_allowed("", 8787, {}));
  EXPECT_FALSE(host_allowed("[::1:8787", 8787, {}));
  EXPECT_FALSE(host_allowed("[evil]:8787", 8787, {}));
}

TEST(UrlSigner, GoodForItsPathUntilItExpires) {
  UrlSigner signer(random_secret(32));
  const std::string q = signer.query("/api/v1/outbox/abc/video", 1000, 60);
  const std::string exp = q.substr(4, q.find('&') - 4);
  const std::string sig = q.substr(q.find("sig=") + 4);
  EXPECT_EQ(exp, "1060");
  EXPECT_TRUE(signer.verify("/api/v1/outbox/abc/video", exp, sig, 1000));
  EXPECT_TRUE(signer.verify("/api/v1/outbox/abc/video", exp, sig, 1060));
  EXPECT_FALSE(signer.verify("/api/v1/outbox/abc/video", exp, sig, 1061));     // expired
  EXPECT_FALSE(signer.verify("/api/v1/outbox/abd/video", exp, sig, 1000));     // another path
  EXPECT_FALSE(signer.verify("/api/v1/outbox/abc/video", "9999", sig, 1000));  // longer life
  EXPECT_FALSE(signer.verify("/api/v1/outbox/abc/video", exp, sig + "A", 1000));
  EXPECT_FALSE(signer.verify("/api/v1/outbox/abc/video", "1060x", sig, 1000));
  UrlSigner other(random_secret(32));
  EXPECT_FALSE(other.verify("/api/v1/outbox/abc/video", exp, sig, 1000));  // another key
}

TEST(Credentials, SecretsCompareByContent) {
  EXPECT_TRUE(same_secret("abc", "abc"));
  EXPECT_FALSE(same_secret("abc", "abd"));
  EXPECT_FALSE(same_secret("abc", "abcd"));
  EXPECT_FALSE(same_secret("", "abc"));
  const std::string s = random_secret(32);
  EXPECT_EQ(s.size(), 43u);  // 32 bytes in base64url without padding
  EXPECT_NE(s, random_secret(32));
}

TEST(LoginThrottle, FiveFreeFailuresThenDoublingLockOuts) {
  LoginThrottle t;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(t.wait_seconds("10.0.0.1", 0), 0);
    t.failed("10.0.0.1", 0);
  }
  EXPECT_EQ(t.wait_seconds("10.0.0.1", 0), 0);
  t.failed("10.0.0.1", 0);  // the sixth: 1 s
  EXPECT_EQ(t.wait_seconds("10.0.0.1", 0), 1);
  EXPECT_EQ(t.wait_seconds("10.0.0.2", 0), 0);  // per address
  t.failed("10.0.0.1", 1000);                   // the seventh: 2 s
  EXPECT_EQ(t.wait_seconds("10.0.0.1", 1000), 2);
  EXPECT_EQ(t.wait_seconds("10.0.0.1", 3000), 0);
  for (int i = 0; i < 30; ++i) t.failed("10.0.0.1", 3000);
  EXPECT_EQ(t.wait_seconds("10.0.0.1", 3000), 300);  // at most 5 minutes
  t.succeeded("10.0.0.1");
  EXPECT_EQ(t.wait_seconds("10.0.0.1", 3000), 0);
}

TEST(Router, MatchesDecodedSegmentsAndTellsTheAllowedMethods) {
  Router r;
  int hit = 0;
  auto fn = [&](RouteContext &) -> Reply {
    ++hit;
    return Response{};
  };
  r.add(http::verb::get, "/api/v1/jobs/{id}", Access::token, fn);
  r.add(http::verb::delete_, "/api/v1/jobs/{id}", Access::token, fn);
  r.add(http::verb::get, "/api/v1/jobs", Access::token, fn);
  auto m = r.match(http::verb::get, {"api", "v1", "jobs", "abc"});
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params["id"], "abc");
  m = r.match(http::verb::get, {"api", "v1", "jobs", "../.."});  // one decoded segment
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params["id"], "../..");  // left to the handler's id check
  m = r.match(http::verb::post, {"api", "v1", "jobs", "abc"});
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allowed, "GET, DELETE");
  m = r.match(http::verb::get, {"api", "v1", "nothing"});
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.allowed.empty());
  m = r.match(http::verb::get, {"api", "v1", "jobs", ""});
  EXPECT_FALSE(m.route);
}

TEST(StepEvents, ReadFromTheStepClocksLogLines) {
  auto e = schedule::step_event_of("step render: start (at 1.20 s)");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, "step_started");
  EXPECT_EQ(e->name, "render");
  e = schedule::step_event_of("step script: done in 0.01 s (from the job's cache)");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, "step_finished");
  EXPECT_EQ(e->note.value_or(""), "from the job's cache");
  e = schedule::step_event_of("step share twitter:main: failed after 2.00 s: refused: no");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, "step_failed");
  EXPECT_EQ(e->name, "share twitter:main");
  EXPECT_EQ(e->note.value_or(""), "refused: no");
  EXPECT_FALSE(schedule::step_event_of("render: 25% (30 frames/s)"));
  EXPECT_FALSE(schedule::step_event_of("step : start"));
  EXPECT_FALSE(schedule::step_event_of("step x: pondering"));
}
