// Every request is bounded: through automuse.http/1, a request that sets no timeout of its own
// gets the host's default total timeout and low-speed limit — as plugins built with the flags
// field send it, by the C table or the SDK's C++ helper — unless it asks for none
// (AM_HTTP_NO_TIMEOUT); an older, smaller struct keeps meaning "no limit". Against a silent
// loopback server: it accepts connections (the kernel's backlog) and never answers.
#include <arpa/inet.h>
#include <automuse/http.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <automuse/cpp/http.hpp>
#include <cstddef>
#include <future>
#include <memory>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "http/http_service.hpp"

namespace automuse::http::test {
namespace {

using namespace std::chrono_literals;

// Listens on 127.0.0.1 and never accepts: connections complete in the backlog, requests are
// received by the kernel and never answered.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::listen(fd_, 16) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &len) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(a.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  std::string url(const std::string &path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

am_str s(std::string_view v) {
  return am_str{v.data(), v.size()};
}

class BoundedRequests : public ::testing::Test {
 protected:
  BoundedRequests() {
    registry_.add(AM_JOB_SERVICE_ID, core::job_service());
    registry_.add(AM_HTTP_SERVICE_ID, service_.table());
    plugin_ = core::make_plugin_context("test", registry_, runtime_);
  }
  ~BoundedRequests() override { runtime_.stop(); }

  struct Outcome {
    std::promise<void> done;
    am_status status = AM_INTERNAL;
    std::string error;
  };
  static void capture(void *user, const am_http_response *r) {
    auto *o = static_cast<Outcome *>(user);
    o->status = r->status;
    o->error.assign(r->error.data, r->error.len);
    o->done.set_value();
  }

  // What http.timeout_seconds = 0.5 gives every request that sets no bound.
  static RequestDefaults half_second() {
    RequestDefaults d;
    d.total = Millis(500);
    return d;
  }

  core::Runtime runtime_{1, 1};
  HttpClient client_{runtime_.io()};
  HttpService service_{client_, half_second()};
  core::ServiceRegistry registry_;
  std::unique_ptr<core::PluginContext> plugin_;
  SilentServer silent_;
};

TEST_F(BoundedRequests, ARequestWithDefaultSettingsEndsWithATimeout) {
  auto job = runtime_.make_job("t");
  const std::string url = silent_.url("/never");
  am_http_request req{};
  req.struct_size = sizeof req;  // as every plugin built from now on sends it
  req.url = s(url);
  req.max_attempts = 1;
  Outcome o;
  service_.table()->send(service_.table(), job.get(), &req, &capture, &o);
  ASSERT_EQ(o.done.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(o.status, AM_TIMEOUT) << o.error;
  job->wait_idle();
}

TEST_F(BoundedRequests, ThePluginHelperIsBoundedByDefault) {
  auto job = runtime_.make_job("t");
  am::job j(am::host(&plugin_->host), job.get());
  std::promise<am_status> result;
  const std::string url = silent_.url("/never");
  auto run = [&]() -> am::task<am_status> {
    am::http http(j);
    am::http_request req(url);
    req.max_attempts = 1;
    auto r = co_await http.send(std::move(req));
    co_return r.status;
  };
  job->post([&] {
    am::spawn(run(),
              [&](am::outcome<am_status> o) { result.set_value(o.ok() ? *o.value : AM_INTERNAL); });
  });
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(30s), std::future_status::ready);
  EXPECT_EQ(f.get(), AM_TIMEOUT);
  job->wait_idle();
}

TEST_F(BoundedRequests, AnOlderStructKeepsNoLimit) {
  am_http_request req{};
  req.struct_size = offsetof(am_http_request, flags);  // a plugin built before the field
  req.url = s("http://127.0.0.1:1/");
  Request converted = HttpService::from_c(req, half_second());
  EXPECT_EQ(converted.timeouts.total.count(), 0);
  EXPECT_EQ(converted.timeouts.low_speed_bytes_per_sec, 0);
  EXPECT_EQ(converted.timeouts.low_speed_time.count(), 0);
}

TEST_F(BoundedRequests, DefaultsApplyOnlyWhereTheRequestSetsNone) {
  am_http_request req{};
  req.struct_size = sizeof req;
  req.url = s("http://127.0.0.1:1/");
  Request bounded = HttpService::from_c(req, half_second());
  EXPECT_EQ(bounded.timeouts.total, Millis(500));
  EXPECT_EQ(bounded.timeouts.low_speed_bytes_per_sec, 1);
  EXPECT_EQ(bounded.timeouts.low_speed_time, Millis(60'000));

  req.total_timeout_ms = 90'000;
  req.low_speed_bytes_per_sec = 100;
  req.low_speed_time_ms = 5'000;
  Request own = HttpService::from_c(req, half_second());
  EXPECT_EQ(own.timeouts.total, Millis(90'000));
  EXPECT_EQ(own.timeouts.low_speed_bytes_per_sec, 100);
  EXPECT_EQ(own.timeouts.low_speed_time, Millis(5'000));

  am_http_request none{};
  none.struct_size = sizeof none;
  none.flags = AM_HTTP_NO_TIMEOUT;
  Request unbounded = HttpService::from_c(none, half_second());
  EXPECT_EQ(unbounded.timeouts.total.count(), 0);
  EXPECT_EQ(unbounded.timeouts.low_speed_bytes_per_sec, 0);
}

// The older struct really waits: it is still pending well after the default would have ended
// it, and ends only when cancelled.
TEST_F(BoundedRequests, AnOlderStructRequestIsNotCutOffByTheDefault) {
  auto job = runtime_.make_job("t");
  const std::string url = silent_.url("/never");
  am_http_request req{};
  req.struct_size = offsetof(am_http_request, flags);
  req.url = s(url);
  Outcome o;
  am_op_id op = service_.table()->send(service_.table(), job.get(), &req, &capture, &o);
  auto f = o.done.get_future();
  EXPECT_EQ(f.wait_for(2s), std::future_status::timeout) << "ended: " << o.error;
  service_.table()->cancel(service_.table(), job.get(), op);
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(o.status, AM_CANCELLED);
  job->wait_idle();
}

}  // namespace
}  // namespace automuse::http::test
