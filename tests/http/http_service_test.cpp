// The automuse.http/1 C table and the SDK's C++ helper, on the host core's runtime and jobs:
// completions on the job's strand, job cancellation reaching requests, struct_size growth
// rules, and `co_await http.send(req)` with when_all.
#include "http/http_service.hpp"

#include <automuse/http.h>
#include <gtest/gtest.h>

#include <automuse/cpp/http.hpp>
#include <cstddef>
#include <future>
#include <memory>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "support/fake_server.hpp"

namespace automuse::http::test {
namespace {

using automuse::testing::FakeServer;
using automuse::testing::Reply;
using namespace std::chrono_literals;

class HttpServiceTest : public ::testing::Test {
 protected:
  HttpServiceTest() {
    registry_.add(AM_JOB_SERVICE_ID, core::job_service());
    registry_.add(AM_HTTP_SERVICE_ID, service_.table());
    plugin_ = core::make_plugin_context("test", registry_, runtime_);
  }
  ~HttpServiceTest() override { runtime_.stop(); }

  const am_http *table() const {
    return static_cast<const am_http *>(
        plugin_->host.get_service(&plugin_->host, AM_HTTP_SERVICE_ID));
  }

  struct Captured {
    std::promise<void> done;
    am_status status = AM_INTERNAL;
    int32_t http_status = 0;
    std::string body, error;
    uint32_t attempts = 0;
    std::string content_type;
    std::string http_version;  // "?" when the host's struct has no such field
    uint32_t struct_size = 0;
    bool on_strand = false;
    int calls = 0;
    core::JobPtr job;
  };

  static void capture(void *user, const am_http_response *r) {
    auto *c = static_cast<Captured *>(user);
    c->calls++;
    c->status = r->status;
    c->http_status = r->http_status;
    c->body.assign(r->body.data, r->body.len);
    c->error.assign(r->error.data, r->error.len);
    c->attempts = r->attempts;
    c->struct_size = r->struct_size;
    c->http_version = AM_HAS_FIELD(r, am_http_response, http_version)
                          ? std::string(r->http_version.data, r->http_version.len)
                          : "?";
    for (size_t i = 0; i < r->header_count; ++i)
      if (std::string_view(r->headers[i].name.data, r->headers[i].name.len) == "Content-Type")
        c->content_type.assign(r->headers[i].value.data, r->headers[i].value.len);
    c->on_strand = c->job->executor().running_in_this_thread();
    if (c->calls == 1) c->done.set_value();
  }

  static am_str s(std::string_view v) { return am_str{v.data(), v.size()}; }

  core::Runtime runtime_{1, 1};
  HttpClient client_{runtime_.io()};
  HttpService service_{client_};
  core::ServiceRegistry registry_;
  std::unique_ptr<core::PluginContext> plugin_;
};

TEST_F(HttpServiceTest, TableIsRegisteredAndSized) {
  ASSERT_NE(table(), nullptr);
  EXPECT_EQ(table()->struct_size, sizeof(am_http));
}

TEST_F(HttpServiceTest, SendCompletesOnTheJobStrand) {
  FakeServer server;
  server.route("POST", "/echo", [](const automuse::testing::ReceivedRequest &req) {
    return Reply::json("{\"got\":\"" + req.body + "\",\"auth\":\"" +
                       req.header("authorization").value_or("") + "\"}");
  });
  Captured c;
  c.job = runtime_.make_job("t");
  std::string url = server.url("/echo");
  am_http_header headers[] = {{s("Authorization"), s("Bearer k")}};
  am_http_request req{};
  req.struct_size = sizeof req;
  req.method = s("POST");
  req.url = s(url);
  req.headers = headers;
  req.header_count = 1;
  req.body = s("hello");
  am_op_id op = table()->send(table(), c.job.get(), &req, &capture, &c);
  EXPECT_NE(op, 0u);
  ASSERT_EQ(c.done.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(c.status, AM_OK) << c.error;
  EXPECT_EQ(c.http_status, 200);
  EXPECT_EQ(c.body, R"({"got":"hello","auth":"Bearer k"})");
  EXPECT_EQ(c.content_type, "application/json");
  EXPECT_EQ(c.struct_size, sizeof(am_http_response));
  EXPECT_EQ(c.http_version, "1.1");  // the Beast fake speaks HTTP/1.1
  EXPECT_TRUE(c.on_strand);
  c.job->wait_idle();
  EXPECT_EQ(c.calls, 1);
}

TEST_F(HttpServiceTest, JobCancellationCancelsTheRequestOnce) {
  FakeServer server;
  server.route("GET", "/slow", Reply::text("late").with_latency(10s));
  Captured c;
  c.job = runtime_.make_job("t");
  std::string url = server.url("/slow");
  am_http_request req{};
  req.struct_size = sizeof req;
  req.url = s(url);
  table()->send(table(), c.job.get(), &req, &capture, &c);
  ASSERT_TRUE(server.wait_for_requests(1));
  c.job->cancel();
  ASSERT_EQ(c.done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(c.status, AM_CANCELLED);
  c.job->wait_idle();
  EXPECT_EQ(c.calls, 1);
  EXPECT_EQ(client_.in_flight(), 0u);
}

TEST_F(HttpServiceTest, CancelByOpId) {
  FakeServer server;
  server.route("GET", "/slow", Reply::text("late").with_latency(10s));
  Captured c;
  c.job = runtime_.make_job("t");
  std::string url = server.url("/slow");
  am_http_request req{};
  req.struct_size = sizeof req;
  req.url = s(url);
  am_op_id op = table()->send(table(), c.job.get(), &req, &capture, &c);
  table()->cancel(table(), c.job.get(), op);  // possibly before the request even started
  ASSERT_EQ(c.done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(c.status, AM_CANCELLED);
  table()->cancel(table(), c.job.get(), op);  // finished: no-op
  c.job->wait_idle();
  EXPECT_EQ(c.calls, 1);
}

TEST_F(HttpServiceTest, OlderSmallerRequestStructIsReadOnlyUpToItsSize) {
  FakeServer server;
  server.route("GET", "/flaky", FakeServer::sequence({Reply::error(503), Reply::text("ok")}));
  Captured c;
  c.job = runtime_.make_job("t");
  std::string url = server.url("/flaky");
  am_http_request req{};
  req.url = s(url);
  req.max_attempts = 1;            // beyond the declared size: must be ignored...
  req.retry_base_delay_ms = 5000;  // ...or this would make the test slow
  req.struct_size = offsetof(am_http_request, connect_timeout_ms);
  table()->send(table(), c.job.get(), &req, &capture, &c);
  ASSERT_EQ(c.done.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(c.http_status, 200);  // the default policy retried the 503
  EXPECT_EQ(c.attempts, 2u);
}

// 1.5: the user-URL flag and the secret header names reach the request; a 1.4-sized struct
// has neither.
TEST_F(HttpServiceTest, UserUrlFlagAndSecretHeadersAreRead) {
  const am_str secret[] = {s("X-Shop-Signature")};
  am_http_request req{};
  req.struct_size = sizeof req;
  req.url = s("http://example.com/");
  req.flags = AM_HTTP_USER_URL;
  req.secret_headers = secret;
  req.secret_header_count = 1;
  Request r = HttpService::from_c(req);
  EXPECT_TRUE(r.user_url);
  ASSERT_EQ(r.secret_headers.size(), 1u);
  EXPECT_EQ(r.secret_headers[0], "X-Shop-Signature");
  req.struct_size = offsetof(am_http_request, secret_headers);
  r = HttpService::from_c(req);
  EXPECT_TRUE(r.user_url);  // flags is a 1.2 field
  EXPECT_TRUE(r.secret_headers.empty());
  req.flags = 0;
  EXPECT_FALSE(HttpService::from_c(req).user_url);
}

TEST_F(HttpServiceTest, CppHelperAwaitsAndRunsRequestsConcurrently) {
  FakeServer server;
  server.route("GET", "/item", [](const automuse::testing::ReceivedRequest &req) {
    return Reply::text("item " + req.query_param("id").value_or("?")).with_latency(300ms);
  });
  server.route("POST", "/stream", Reply::sse({"a", "b", "c"}, 10ms));
  auto job = runtime_.make_job("t");
  am::job j(am::host(&plugin_->host), job.get());
  std::string base = server.base_url();
  std::promise<std::string> result;
  auto run = [&]() -> am::task<std::string> {
    am::http http(j);
    auto one = co_await http.send(base + "/item?id=1");
    std::string out = one.body + "(HTTP/" + one.http_version + ");";
    auto [a, b, c2] = co_await am::when_all(http.send({"GET", base + "/item?id=2"}),
                                            http.send({"GET", base + "/item?id=3"}),
                                            http.send({"GET", base + "/item?id=4"}));
    out += a.body + "," + b.body + "," + c2.body + ";";
    std::string streamed;
    am::http_request sse("POST", base + "/stream", "{}");
    sse.sink = AM_HTTP_SINK_CALLBACK;
    sse.on_chunk = [&streamed](std::string_view chunk) { streamed += chunk; };
    auto s = co_await http.send(std::move(sse));
    out += streamed + "|" + std::to_string(s.http_status) + (s.header("content-type") ? "+ct" : "");
    co_return out;
  };
  job->post([&] {
    am::spawn(run(), [&](am::outcome<std::string> o) {
      if (o.ok())
        result.set_value(*o.value);
      else
        result.set_value("exception");
    });
  });
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(f.get(),
            "item 1(HTTP/1.1);item 2,item 3,item 4;data: a\n\ndata: b\n\ndata: c\n\n|200+ct");
  // The three when_all requests were at the server at the same time.
  EXPECT_EQ(server.peak_in_flight(), 3u);
  job->wait_idle();
}

}  // namespace
}  // namespace automuse::http::test
