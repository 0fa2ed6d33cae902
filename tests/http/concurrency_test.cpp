// Concurrency: 1,000 requests in flight at once over one multi handle driven by one I/O
// thread; the caps on connections per host and in total; no descriptors left behind.
#include "client_fixture.hpp"

namespace automuse::http::test {
namespace {

class ConcurrencyTest : public ClientFixture {};

struct Counter {
  std::atomic<int> ok{0};
  std::atomic<int> done{0};
  std::promise<void> all;
  int expected;
  explicit Counter(int n) : expected(n) {}
  void add(const Response &r) {
    if (r.status == AM_OK && r.http_status == 200) ++ok;
    if (++done == expected) all.set_value();
  }
};

TEST_F(ConcurrencyTest, ThousandRequestsInFlightAtOnce) {
  constexpr int kRequests = 1000;
  size_t fds_before = open_fds();
  {
    ClientConfig config;
    config.max_host_connections = 0;
    config.max_total_connections = 0;
    start_client(config);
    FakeServer server;
    // No answer goes out before all 1,000 requests are at the server: they can only all
    // complete if the client really has every one open at the same moment.
    server
        .route("POST", "/v1/chat/completions",
               [](const ReceivedRequest &req) { return Reply::json(R"({"n":)" + req.body + "}"); })
        .hold_replies_until(kRequests, 60s);
    auto counter = std::make_shared<Counter>(kRequests);
    for (int i = 0; i < kRequests; ++i) {
      Request req = get(server.url("/v1/chat/completions"));
      req.method = "POST";
      req.body = std::to_string(i);
      client_->send(std::move(req), job_, [counter](Response r) { counter->add(r); });
    }
    ASSERT_EQ(counter->all.get_future().wait_for(100s), std::future_status::ready);
    EXPECT_EQ(counter->ok, kRequests);
    EXPECT_EQ(server.peak_in_flight(), size_t(kRequests)) << "the client did not open them all";
    EXPECT_EQ(server.request_count(), size_t(kRequests));
    client_.reset();
  }
  std::this_thread::sleep_for(200ms);
  EXPECT_LE(open_fds(), fds_before + 2) << "descriptors leaked";
}

TEST_F(ConcurrencyTest, PerHostCapLimitsOpenRequests) {
  ClientConfig config;
  config.max_host_connections = 4;
  start_client(config);
  FakeServer server;
  server.route("GET", "/slow", Reply::text("ok").with_latency(150ms));
  auto counter = std::make_shared<Counter>(24);
  for (int i = 0; i < 24; ++i)
    client_->send(get(server.url("/slow")), job_, [counter](Response r) { counter->add(r); });
  ASSERT_EQ(counter->all.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(counter->ok, 24);
  EXPECT_EQ(server.peak_in_flight(), 4u);
  EXPECT_EQ(server.connections_accepted(), 4u);  // queued requests reuse the capped connections
}

TEST_F(ConcurrencyTest, GlobalCapLimitsAcrossHosts) {
  ClientConfig config;
  config.max_host_connections = 0;
  config.max_total_connections = 3;
  start_client(config);
  // One server reached under two host names: curl counts them as two hosts, while the
  // server sees the total.
  FakeServer server;
  server.route("GET", "/s", Reply::text("ok").with_latency(150ms));
  std::string by_ip = server.url("/s");
  std::string by_name = "http://localhost:" + std::to_string(server.port()) + "/s";
  auto counter = std::make_shared<Counter>(20);
  for (int i = 0; i < 10; ++i) {
    client_->send(get(by_ip), job_, [counter](Response r) { counter->add(r); });
    client_->send(get(by_name), job_, [counter](Response r) { counter->add(r); });
  }
  ASSERT_EQ(counter->all.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(counter->ok, 20);
  EXPECT_EQ(server.peak_in_flight(), 3u);
}

TEST_F(ConcurrencyTest, ManyIoThreadsAndStrands) {
  // The same client used from several threads running the io_context, completing on
  // several strands: the engine serialises its own work.
  ClientConfig config;
  config.max_host_connections = 32;
  start_client(config);
  std::vector<std::thread> extra;
  for (int i = 0; i < 3; ++i) extra.emplace_back([this] { io_.run(); });
  FakeServer server({.threads = 2});
  server.route("GET", "/n", [](const ReceivedRequest &req) { return Reply::text(req.query); });
  constexpr int kRequests = 400;
  auto counter = std::make_shared<Counter>(kRequests);
  auto mismatches = std::make_shared<std::atomic<int>>(0);
  std::vector<std::thread> senders;
  for (int s = 0; s < 4; ++s)
    senders.emplace_back([&, s] {
      auto strand = boost::asio::make_strand(io_);
      for (int i = s; i < kRequests; i += 4)
        client_->send(get(server.url("/n?" + std::to_string(i))), strand,
                      [counter, mismatches, i, strand](Response r) {
                        if (r.body != std::to_string(i) || !strand.running_in_this_thread())
                          ++*mismatches;
                        counter->add(r);
                      });
    });
  for (auto &t : senders) t.join();
  ASSERT_EQ(counter->all.get_future().wait_for(60s), std::future_status::ready);
  EXPECT_EQ(counter->ok, kRequests);
  EXPECT_EQ(*mismatches, 0);
  client_.reset();
  work_.reset();
  for (auto &t : extra) t.join();
}

}  // namespace
}  // namespace automuse::http::test
