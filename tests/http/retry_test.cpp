// Retries owned by the HTTP service: each server wait header is honoured (the wait actually
// observed by the server is checked against it, with tolerances), 5xx back off and are bounded,
// and a request whose body was sent is re-sent only when marked safe.
#include <ctime>

#include "client_fixture.hpp"

namespace automuse::http::test {
namespace {

class RetryTest : public ClientFixture {
 protected:
  // Gap between the first two requests the server received on `path`.
  double first_gap(const FakeServer &server, const std::string &path) {
    auto seen = server.requests(path);
    if (seen.size() < 2) {
      ADD_FAILURE() << "expected a retry on " << path;
      return -1;
    }
    return seconds_between(seen[0], seen[1]);
  }
};

TEST_F(RetryTest, RetryAfterSecondsIsHonoured) {
  FakeServer server;
  server.route("GET", "/r", FakeServer::sequence({Reply::too_many_requests(1), Reply::text("ok")}));
  Response r = send(get(server.url("/r")));
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.attempts, 2);
  double gap = first_gap(server, "/r");
  EXPECT_GE(gap, 0.95);
  EXPECT_LT(gap, 2.5);
}

TEST_F(RetryTest, RetryAfterHttpDateIsHonoured) {
  FakeServer server;
  server.route("GET", "/r", [](const ReceivedRequest &) {
    // Two seconds from now as an HTTP date (second resolution: the wait is 1..2 s).
    std::time_t when = std::time(nullptr) + 2;
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&when));
    return Reply::error(429).with_header("Retry-After", date);
  });
  Request req = get(server.url("/r"));
  req.retry.max_attempts = 2;
  Response r = send(req);
  EXPECT_EQ(r.http_status, 429);  // still limited after the last attempt: the caller sees it
  EXPECT_EQ(r.attempts, 2);
  double gap = first_gap(server, "/r");
  EXPECT_GE(gap, 0.95);
  EXPECT_LT(gap, 3.5);
}

TEST_F(RetryTest, RetryAfterMsIsHonoured) {
  FakeServer server;
  server.route("POST", "/r",
               FakeServer::sequence(
                   {Reply::error(429).with_header("retry-after-ms", "400"), Reply::text("ok")}));
  Request req = get(server.url("/r"));
  req.method = "POST";
  req.body = "{}";  // a 429 refused the request, so even a POST is re-sent
  Response r = send(req);
  EXPECT_EQ(r.http_status, 200);
  double gap = first_gap(server, "/r");
  EXPECT_GE(gap, 0.38);
  EXPECT_LT(gap, 1.5);
}

TEST_F(RetryTest, RateLimitResetIsHonoured) {
  FakeServer server;
  server.route("GET", "/r", [](const ReceivedRequest &) {
    return Reply::error(429).with_header("x-rate-limit-reset",
                                         std::to_string(std::time(nullptr) + 2));
  });
  Request req = get(server.url("/r"));
  req.retry.max_attempts = 2;
  send(req);
  double gap = first_gap(server, "/r");
  EXPECT_GE(gap, 0.95);
  EXPECT_LT(gap, 3.5);
}

TEST_F(RetryTest, ServiceUnavailableRetryAfterIsHonoured) {
  FakeServer server;
  server.route("GET", "/r",
               FakeServer::sequence(
                   {Reply::error(503).with_header("Retry-After", "1"), Reply::text("back")}));
  Request req = get(server.url("/r"));
  req.retry.base_delay = 10ms;  // the server's wish, not the 5..10 ms backoff, sets the wait
  Response r = send(req);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "back");
  double gap = first_gap(server, "/r");
  EXPECT_GE(gap, 0.95);
  EXPECT_LT(gap, 2.5);
}

TEST_F(RetryTest, ConnectionFailuresBackOffExponentiallyWithJitter) {
  // The connection drops without an answer twice: backoff waits of 100..200 ms, then
  // 200..400 ms, measured between the attempts the server saw.
  FakeServer server;
  server.route("GET", "/drop",
               FakeServer::sequence({Reply::hang_up(), Reply::hang_up(), Reply::text("up")}));
  Request req = get(server.url("/drop"));
  req.retry.base_delay = 200ms;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "up");
  EXPECT_EQ(r.attempts, 3);
  auto seen = server.requests("/drop");
  ASSERT_EQ(seen.size(), 3u);
  double first = seconds_between(seen[0], seen[1]);
  double second = seconds_between(seen[1], seen[2]);
  EXPECT_GE(first, 0.095);
  EXPECT_LT(first, 0.2 + 0.4);
  EXPECT_GE(second, 0.195);
  EXPECT_LT(second, 0.4 + 0.4);
}

TEST_F(RetryTest, ServerWaitLongerThanAllowedIsNotWaitedFor) {
  FakeServer server;
  server.route("GET", "/r", Reply::too_many_requests(3600));
  Request req = get(server.url("/r"));
  req.retry.max_server_wait = 5s;
  Response r = send(req);
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.header("retry-after"), "3600");  // the caller can still read the server's wish
}

// "Retry-After: 1e300" is a wait far past max_server_wait, not a negative number from an
// undefined cast that retried at once: one attempt, the 429 handed to the caller.
TEST_F(RetryTest, AbsurdRetryAfterIsNotRetriedAtOnce) {
  for (const char *absurd : {"1e300", "99999999999999999999999"}) {
    FakeServer server;
    server.route("GET", "/r", Reply::error(429).with_header("Retry-After", absurd));
    Response r = send(get(server.url("/r")));
    EXPECT_EQ(r.http_status, 429) << absurd;
    EXPECT_EQ(r.attempts, 1) << absurd;
    EXPECT_EQ(server.requests("/r").size(), 1u) << absurd;
  }
}

TEST_F(RetryTest, ServerErrorsBackOffExponentiallyAndAreBounded) {
  FakeServer server;
  server.route("GET", "/r", Reply::error(503));
  Request req = get(server.url("/r"));
  req.retry.max_attempts = 4;
  req.retry.base_delay = 100ms;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_OK);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.attempts, 4);
  auto seen = server.requests("/r");
  ASSERT_EQ(seen.size(), 4u);
  // Nominal waits 100, 200, 400 ms; jitter keeps each within [half, full].
  double nominal = 0.1;
  for (size_t i = 1; i < seen.size(); ++i, nominal *= 2) {
    double gap = seconds_between(seen[i - 1], seen[i]);
    EXPECT_GE(gap, nominal * 0.5 - 0.01) << i;
    EXPECT_LT(gap, nominal + 0.5) << i;
  }
}

TEST_F(RetryTest, TotalRetryBudgetStopsRetries) {
  FakeServer server;
  server.route("GET", "/r", Reply::error(500));
  Request req = get(server.url("/r"));
  req.retry.max_attempts = 50;
  req.retry.base_delay = 200ms;
  req.retry.max_total = 700ms;
  Response r = send(req);
  EXPECT_EQ(r.http_status, 500);
  EXPECT_LT(r.attempts, 5);  // 100..200 + 200..400 + 400..800 ms exceeds 700 ms quickly
  EXPECT_LT(r.elapsed, 1500ms);
}

TEST_F(RetryTest, PostIsNotResentAfterItsBodyWasSent) {
  FakeServer server;
  server.route("POST", "/publish", Reply::error(500));
  Request req = get(server.url("/publish"));
  req.method = "POST";
  req.body = R"({"text":"hello world"})";
  req.retry.base_delay = 10ms;
  Response r = send(req);
  EXPECT_EQ(r.http_status, 500);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(server.requests("/publish").size(), 1u);
}

TEST_F(RetryTest, PostMarkedSafeIsResent) {
  FakeServer server;
  server.route("POST", "/query",
               FakeServer::sequence({Reply::error(502), Reply::error(502), Reply::text("ok")}));
  Request req = get(server.url("/query"));
  req.method = "POST";
  req.body = R"({"q":1})";
  req.retry.base_delay = 10ms;
  req.retry.safe_to_resend_body = true;
  Response r = send(req);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.attempts, 3);
  auto seen = server.requests("/query");
  ASSERT_EQ(seen.size(), 3u);
  for (const auto &s : seen) EXPECT_EQ(s.body, req.body);  // the body is re-sent whole
}

TEST_F(RetryTest, ConnectionDroppedMidUploadIsNotResentUnlessSafe) {
  FakeServer server;
  server.route("PUT", "/upload", Reply::text("stored")).close_mid_request(1000);
  Request req = get(server.url("/upload"));
  req.method = "PUT";
  req.body = std::string(200'000, 'x');
  req.retry.base_delay = 10ms;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_UNAVAILABLE) << r.error;
  EXPECT_EQ(r.attempts, 1);
  ASSERT_EQ(server.requests("/upload").size(), 1u);
  EXPECT_FALSE(server.requests("/upload")[0].complete);

  req.retry.safe_to_resend_body = true;
  req.retry.max_attempts = 3;
  r = send(req);
  EXPECT_EQ(r.status, AM_UNAVAILABLE);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(server.requests("/upload").size(), 4u);
}

TEST_F(RetryTest, ConnectionDroppedMidResponseIsRetriedForGet) {
  FakeServer server;
  server.route("GET", "/doc",
               FakeServer::sequence({Reply::text(std::string(10000, 'a')).with_close_after(100),
                                     Reply::text("whole")}));
  Request req = get(server.url("/doc"));
  req.retry.base_delay = 10ms;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "whole");
  EXPECT_EQ(r.attempts, 2);
}

TEST_F(RetryTest, HangUpWithoutReplyIsRetriedForGet) {
  FakeServer server;
  server.route("GET", "/flaky", FakeServer::sequence({Reply::hang_up(), Reply::text("fine")}));
  Request req = get(server.url("/flaky"));
  req.retry.base_delay = 10ms;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "fine");
}

}  // namespace
}  // namespace automuse::http::test
