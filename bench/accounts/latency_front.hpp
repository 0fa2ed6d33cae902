// bench/accounts/latency_front.hpp — a loopback reverse proxy that gives a fake service the
// latency of the real one: every request is passed on unchanged to the fake behind it (which
// checks it and answers as the real API would), and the answer is held back for a delay
// chosen per request before it is sent. The wait is asynchronous (FakeServer's reply
// latency), so concurrent requests wait side by side, as they do at a real service. Headers
// that point at the fake (a resumable upload's session URI in Location) are rewritten to
// point at the front, so the whole conversation goes through it.
#pragma once

#include <functional>
#include <string>

#include "support/fake_server.hpp"

namespace automuse::bench {

class LatencyFront {
 public:
  // `backend_base`: "http://127.0.0.1:PORT" of the fake; `delay` is asked once per request.
  LatencyFront(std::string backend_base,
               std::function<testing::Ms(const testing::ReceivedRequest &)> delay);

  std::string base_url() const { return server_.base_url(); }
  testing::FakeServer &server() { return server_; }

 private:
  testing::Reply forward(const testing::ReceivedRequest &request);

  std::string backend_base_;
  std::string host_;
  unsigned short port_ = 0;
  std::function<testing::Ms(const testing::ReceivedRequest &)> delay_;
  testing::FakeServer server_;  // last: stops before the state above goes
};

}  // namespace automuse::bench
