// Basic behaviour of the HTTP service against the loopback fake server: methods, headers,
// bodies, status codes, connection reuse, bad input, secret-free logging.
#include <mutex>

#include "client_fixture.hpp"

namespace automuse::http::test {
namespace {

class HttpClientTest : public ClientFixture {};

TEST_F(HttpClientTest, GetReturnsStatusHeadersAndBody) {
  FakeServer server;
  server.route("GET", "/hello", Reply::text("hi there").with_header("X-Thing", "42"));
  Response r = send(get(server.url("/hello?x=1")));
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "hi there");
  EXPECT_EQ(r.header("x-thing"), "42");
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.http_version, "1.1");
  auto seen = server.requests("/hello");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].query_param("x"), "1");
  EXPECT_EQ(seen[0].header("user-agent"), "automuse/0.1");
}

TEST_F(HttpClientTest, PostSendsHeadersAndBody) {
  FakeServer server;
  server.route("POST", "/v1/chat/completions", [](const ReceivedRequest &req) {
    auto v = req.json();
    return Reply::json(R"({"echo":")" + std::string(v.at("model").as_string()) + R"("})", 201);
  });
  Request req;
  req.method = "post";
  req.url = server.url("/v1/chat/completions");
  req.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-test"}};
  req.body = R"({"model":"m1","messages":[]})";
  Response r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.http_status, 201);
  EXPECT_EQ(r.body, R"({"echo":"m1"})");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, req.body);
  EXPECT_EQ(seen[0].header("authorization"), "Bearer sk-test");
  EXPECT_EQ(seen[0].header("content-type"), "application/json");
  EXPECT_FALSE(seen[0].header("expect"));  // no 100-continue stall
}

TEST_F(HttpClientTest, PutPatchDeleteAndHead) {
  FakeServer server;
  server.route("*", "/thing",
               [](const ReceivedRequest &req) { return Reply::text(req.method + ":" + req.body); });
  for (std::string method : {"PUT", "PATCH", "DELETE"}) {
    Request req = get(server.url("/thing"));
    req.method = method;
    req.body = method == "DELETE" ? "" : "payload";
    Response r = send(req);
    ASSERT_EQ(r.status, AM_OK) << method << ": " << r.error;
    EXPECT_EQ(r.body, method + ":" + req.body);
  }
  Request head = get(server.url("/thing"));
  head.method = "HEAD";
  Response r = send(head);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(server.requests().back().method, "HEAD");
}

TEST_F(HttpClientTest, ErrorStatusIsAResponseNotATransportFailure) {
  FakeServer server;
  server.route("GET", "/missing", Reply::json(R"({"error":"nope"})", 404));
  Response r = send(get(server.url("/missing")));
  EXPECT_EQ(r.status, AM_OK);
  EXPECT_EQ(r.http_status, 404);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.body, R"({"error":"nope"})");
  EXPECT_EQ(r.attempts, 1);  // 404 is not retried
}

TEST_F(HttpClientTest, ReusesTheConnection) {
  FakeServer server;
  server.route("GET", "/a", Reply::text("a"));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(send(get(server.url("/a"))).body, "a");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].connection, seen[2].connection);
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST_F(HttpClientTest, FollowsRedirectsWhenAsked) {
  FakeServer server;
  server.route("GET", "/old", Reply::error(302).with_header("Location", "/new"));
  server.route("GET", "/new", Reply::text("moved here"));
  Response r = send(get(server.url("/old")));
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "moved here");
  Request no_follow = get(server.url("/old"));
  no_follow.follow_redirects = false;
  r = send(no_follow);
  EXPECT_EQ(r.http_status, 302);
  EXPECT_EQ(r.header("location"), "/new");
}

TEST_F(HttpClientTest, BadRequestsFailThroughTheCallbackNamingTheField) {
  Request empty;
  Response r = send(empty);
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT);
  EXPECT_NE(r.error.find("url"), std::string::npos) << r.error;

  Request both = get("http://127.0.0.1:1/");
  both.body = "x";
  both.body_file = "/tmp/whatever";
  r = send(both);
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT);
  EXPECT_NE(r.error.find("body_file"), std::string::npos) << r.error;

  Request header = get("http://127.0.0.1:1/");
  header.headers = {{"X-Evil", "a\r\nInjected: yes"}};
  r = send(header);
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT);

  Request missing = get("http://127.0.0.1:1/");
  missing.method = "PUT";
  missing.body_file = "/nonexistent/upload.bin";
  r = send(missing);
  EXPECT_EQ(r.status, AM_NOT_FOUND);
  EXPECT_NE(r.error.find("/nonexistent/upload.bin"), std::string::npos) << r.error;
}

TEST_F(HttpClientTest, SendNeverCompletesBeforeReturning) {
  FakeServer server;
  server.route("GET", "/x", Reply::text("x"));
  // Complete on the calling thread's own executor: if send() called back synchronously, the
  // flag would flip before send returned.
  std::atomic<bool> returned{false};
  std::atomic<bool> completed_early{false};
  std::promise<void> done;
  boost::asio::post(job_, [&] {
    client_->send(Request{}, job_, [&](Response) {
      if (!returned) completed_early = true;
      done.set_value();
    });
    returned = true;
  });
  done.get_future().wait();
  EXPECT_FALSE(completed_early);
}

TEST_F(HttpClientTest, DebugLogRedactsSecrets) {
  auto lines = std::make_shared<std::vector<std::string>>();
  auto mutex = std::make_shared<std::mutex>();
  ClientConfig config;
  config.log = [lines, mutex](int, std::string_view message) {
    std::lock_guard lock(*mutex);
    lines->emplace_back(message);
  };
  start_client(config);
  FakeServer server;
  server.route("GET", "/v1/models", Reply::text("ok"));
  Request req = get(server.url("/v1/models?key=AIzaTOPSECRET&alt=json"));
  req.headers = {{"Authorization", "Bearer sk-live-TOPSECRET"},
                 {"x-api-key", "TOPSECRET-anthropic"},
                 {"xi-api-key", "TOPSECRET-eleven"},
                 {"Accept", "application/json"}};
  ASSERT_EQ(send(req).status, AM_OK);
  std::lock_guard lock(*mutex);
  ASSERT_FALSE(lines->empty());
  std::string all;
  for (const auto &l : *lines) all += l + "\n";
  EXPECT_EQ(all.find("TOPSECRET"), std::string::npos) << all;
  EXPECT_NE(all.find("Authorization: REDACTED"), std::string::npos) << all;
  EXPECT_NE(all.find("Accept: application/json"), std::string::npos) << all;
  EXPECT_NE(all.find("/v1/models"), std::string::npos) << all;
}

TEST_F(HttpClientTest, ConnectionRefusedIsUnavailableAfterRetries) {
  // A port nobody listens on: bind one, note it, close it.
  boost::asio::ip::tcp::acceptor a(io_, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto port = a.local_endpoint().port();
  a.close();
  Request req = get("http://127.0.0.1:" + std::to_string(port) + "/");
  req.retry.max_attempts = 3;
  req.retry.base_delay = 20ms;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_UNAVAILABLE);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace automuse::http::test
