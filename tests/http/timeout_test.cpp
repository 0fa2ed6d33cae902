// Per-request deadlines of the HTTP service: total, low-speed and connect timeouts.
#include <sys/socket.h>

#include "client_fixture.hpp"

namespace automuse::http::test {
namespace {

class TimeoutTest : public ClientFixture {};

TEST_F(TimeoutTest, TotalTimeout) {
  FakeServer server;
  server.route("GET", "/slow", Reply::text("late").with_latency(3s));
  Request req = get(server.url("/slow"));
  req.timeouts.total = 300ms;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_TIMEOUT) << r.error;
  EXPECT_EQ(r.attempts, 1);  // a deadline is the caller's: not retried past it
  EXPECT_GE(r.elapsed, 250ms);
  EXPECT_LT(r.elapsed, 2500ms);
}

TEST_F(TimeoutTest, LowSpeedTimeout) {
  FakeServer server;
  // 20 bytes every 400 ms: far below 1000 B/s.
  server.route("GET", "/trickle", Reply::text(std::string(2000, 't')).with_dribble(20, 400ms));
  Request req = get(server.url("/trickle"));
  req.timeouts.low_speed_bytes_per_sec = 1000;
  req.timeouts.low_speed_time = 1s;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_TIMEOUT) << r.error;
  EXPECT_LT(r.elapsed, 5s);
}

TEST_F(TimeoutTest, SlowButSteadyBodyIsNotCutOff) {
  FakeServer server;
  server.route("GET", "/steady", Reply::text(std::string(5000, 's')).with_dribble(1000, 100ms));
  Request req = get(server.url("/steady"));
  req.timeouts.low_speed_bytes_per_sec = 1000;
  req.timeouts.low_speed_time = 1s;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body.size(), 5000u);
}

TEST_F(TimeoutTest, ConnectTimeout) {
  // A listener whose accept queue is full and that never accepts: further SYNs are dropped,
  // so connect() hangs until the connect timeout.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 8; ++i) {
    int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(f, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    fillers.push_back(f);
  }
  std::this_thread::sleep_for(50ms);
  Request req = get("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/");
  req.timeouts.connect = 300ms;
  req.retry.max_attempts = 1;
  Response r = send(req);
  EXPECT_EQ(r.status, AM_TIMEOUT) << r.error;
  EXPECT_LT(r.elapsed, 3s);
  for (int f : fillers) ::close(f);
  ::close(listener);
}

}  // namespace
}  // namespace automuse::http::test
