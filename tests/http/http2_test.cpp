// HTTP/2 where the server offers it, against a real HTTP/2 server (nghttpd) on loopback: ALPN
// picks "h2", the response says so, and requests started together share one connection as
// concurrent streams (read from the server's own frame log). Also HTTP/1.1 over TLS, where
// sequential requests reuse one kept-alive connection.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "client_fixture.hpp"
#include "nghttpd_server.hpp"
#include "support/temp_folder.hpp"
#include "support/test_certificate.hpp"

namespace automuse::http::test {
namespace {

namespace fs = std::filesystem;
using automuse::testing::TestCertificate;

class Http2Test : public ClientFixture {
 protected:
  static void SetUpTestSuite() {
    cert_ = new TestCertificate(TestCertificate::generate());
    dir_ = new automuse::testing::TempFolder();
    fs::create_directories(*dir_ / "htdocs");
    cert_->write_ca_file(*dir_ / "ca.pem");
    // A body large enough (64 DATA frames) for streams to overlap on the connection.
    blob_ = new std::string(1 << 20, '\0');
    for (size_t i = 0; i < blob_->size(); ++i) (*blob_)[i] = Reply::pattern_byte(i);
    std::ofstream(*dir_ / "htdocs" / "blob", std::ios::binary) << *blob_;
  }
  static void TearDownTestSuite() {
    delete cert_;
    delete dir_;
    delete blob_;
  }

  void SetUp() override {
    ClientConfig config;
    config.ca_bundle = (*dir_ / "ca.pem").string();
    start_client(config);
  }

  // Starts `n` requests at once and waits for all of them. The I/O thread is held until all
  // were handed over, so they really start together: otherwise the first one can be answered
  // by a loopback server before this thread has sent the second.
  std::vector<Response> send_all(const std::string &url, size_t n) {
    std::promise<void> gate;
    std::promise<void> holding;
    boost::asio::post(io_, [&] {
      holding.set_value();
      gate.get_future().wait();
    });
    holding.get_future().wait();
    std::vector<std::future<Response>> futures;
    for (size_t i = 0; i < n; ++i) {
      auto promise = std::make_shared<std::promise<Response>>();
      futures.push_back(promise->get_future());
      client_->send(get(url), job_, [promise](Response r) { promise->set_value(std::move(r)); });
    }
    gate.set_value();
    std::vector<Response> out;
    for (auto &f : futures) {
      if (f.wait_for(30s) != std::future_status::ready) {
        ADD_FAILURE() << "a request did not complete within 30 s";
        continue;
      }
      out.push_back(f.get());
    }
    return out;
  }

  static TestCertificate *cert_;
  static automuse::testing::TempFolder *dir_;
  static std::string *blob_;
};
TestCertificate *Http2Test::cert_ = nullptr;
automuse::testing::TempFolder *Http2Test::dir_ = nullptr;
std::string *Http2Test::blob_ = nullptr;

TEST_F(Http2Test, NghttpdIsInstalled) {
  // The HTTP/2 tests need the real server; missing it is a failure, never a silent skip.
  EXPECT_FALSE(NghttpdServer::find_binary().empty())
      << "nghttpd not found: install the Debian package nghttp2-server (scripts/packages.sh)";
}

TEST_F(Http2Test, NegotiatesHttp2AndMultiplexesConcurrentRequestsOnOneConnection) {
  NghttpdServer server(*cert_, *dir_ / "htdocs");
  constexpr size_t kRequests = 12;
  // First batch from cold: all start before any connection exists, so they must wait for the
  // first TLS handshake (ALPN "h2") instead of each opening its own connection. Second batch:
  // the connection is known to multiplex, so all streams open on it at once.
  for (int batch = 0; batch < 2; ++batch) {
    std::vector<Response> responses = send_all(server.url("/blob"), kRequests);
    ASSERT_EQ(responses.size(), kRequests);
    for (const Response &r : responses) {
      ASSERT_EQ(r.status, AM_OK) << r.error;
      EXPECT_EQ(r.http_status, 200);
      EXPECT_EQ(r.http_version, "2");
      EXPECT_EQ(r.body.size(), blob_->size());
      EXPECT_TRUE(r.body == *blob_) << "body differs from the file served";
    }
  }

  server.stop();  // the frame log is complete once nghttpd exited
  std::vector<H2Frame> frames = server.frames();
  // Each request is a HEADERS frame the server received on a client stream; the session says
  // which TCP connection it came on.
  std::set<uint64_t> sessions;
  std::set<std::pair<uint64_t, uint32_t>> streams;
  for (const H2Frame &f : frames)
    if (!f.sent && f.type == "HEADERS") {
      sessions.insert(f.session);
      streams.insert({f.session, f.stream});
    }
  EXPECT_EQ(streams.size(), 2 * kRequests) << "one HTTP/2 stream per request";
  EXPECT_LT(sessions.size(), kRequests) << "connections opened must be fewer than requests";
  EXPECT_EQ(sessions.size(), 1u) << "requests started together should wait for one handshake";

  // Multiplexed, not merely reused one after another: at some moment several streams were open
  // on the same connection (request received, response not yet ended), and DATA frames of
  // different streams interleaved.
  std::map<uint64_t, std::set<uint32_t>> open;
  size_t peak_open = 0;
  size_t interleavings = 0;
  std::map<uint64_t, uint32_t> last_data_stream;
  for (const H2Frame &f : frames) {
    if (!f.sent && f.type == "HEADERS") open[f.session].insert(f.stream);
    peak_open = std::max(peak_open, open[f.session].size());
    if (f.sent && f.type == "DATA") {
      auto last = last_data_stream.find(f.session);
      if (last != last_data_stream.end() && last->second != f.stream &&
          open[f.session].count(last->second))
        ++interleavings;  // switched streams while the previous one was unfinished
      last_data_stream[f.session] = f.stream;
    }
    if (f.sent && f.end_stream) open[f.session].erase(f.stream);
  }
  EXPECT_GE(peak_open, kRequests / 2) << "streams open at once on one connection";
  EXPECT_GT(interleavings, 0u) << "no DATA frames of different streams interleaved";
}

TEST_F(Http2Test, SequentialRequestsReuseTheHttp2Connection) {
  NghttpdServer server(*cert_, *dir_ / "htdocs");
  for (int i = 0; i < 3; ++i) {
    Response r = send(get(server.url("/blob")));
    ASSERT_EQ(r.status, AM_OK) << r.error;
    EXPECT_EQ(r.http_version, "2");
  }
  Response missing = send(get(server.url("/no-such-file")));
  EXPECT_EQ(missing.http_status, 404);
  EXPECT_EQ(missing.attempts, 1);
  server.stop();
  std::set<uint64_t> sessions;
  size_t requests = 0;
  for (const H2Frame &f : server.frames())
    if (!f.sent && f.type == "HEADERS") {
      sessions.insert(f.session);
      ++requests;
    }
  EXPECT_EQ(requests, 4u);
  EXPECT_EQ(sessions.size(), 1u);
}

TEST_F(Http2Test, Http11OverTlsKeepsTheConnectionAlive) {
  // The Beast fake offers no ALPN: curl falls back to HTTP/1.1 and keeps the connection.
  FakeServer server({.tls = true, .certificate = cert_});
  server.route("GET", "/k", Reply::text("kept"));
  for (int i = 0; i < 5; ++i) {
    Response r = send(get(server.url("/k")));
    ASSERT_EQ(r.status, AM_OK) << r.error;
    EXPECT_EQ(r.body, "kept");
    EXPECT_EQ(r.http_version, "1.1");
  }
  auto seen = server.requests("/k");
  ASSERT_EQ(seen.size(), 5u);
  for (const auto &req : seen) EXPECT_EQ(req.connection, seen[0].connection);
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST_F(Http2Test, ConcurrentRequestsToAnHttp11TlsServerRunInParallel) {
  // Waiting for the first handshake to learn whether HTTP/2 multiplexes must not serialise
  // requests to a server that only speaks HTTP/1.1: once ALPN said no, each gets its own
  // connection and all are at the server at the same time.
  // The server answers none before all of them arrived, so they can only all complete if
  // they were at the server together.
  constexpr size_t kRequests = 10;
  FakeServer server({.tls = true, .certificate = cert_, .threads = 2});
  server.route("GET", "/slow", Reply::text("s")).hold_replies_until(kRequests, 20s);
  std::vector<Response> responses = send_all(server.url("/slow"), kRequests);
  ASSERT_EQ(responses.size(), kRequests);
  for (const Response &r : responses) {
    ASSERT_EQ(r.status, AM_OK) << r.error;
    EXPECT_EQ(r.http_version, "1.1");
  }
  EXPECT_EQ(server.peak_in_flight(), kRequests);
  EXPECT_EQ(server.connections_accepted(), kRequests);
}

TEST_F(Http2Test, Http11BatchesReuseKeptAliveConnections) {
  // Plain HTTP/1.1: a batch of concurrent requests needs one connection each, and the next
  // batch finds them all idle in the pool instead of opening new ones.
  FakeServer server;
  server.route("GET", "/b", Reply::text("b").with_latency(50ms));
  constexpr size_t kBatch = 6;
  for (int round = 0; round < 3; ++round) {
    std::vector<Response> responses = send_all(server.url("/b"), kBatch);
    ASSERT_EQ(responses.size(), kBatch);
    for (const Response &r : responses) {
      ASSERT_EQ(r.status, AM_OK) << r.error;
      EXPECT_EQ(r.http_version, "1.1");
    }
  }
  EXPECT_EQ(server.request_count(), 3 * kBatch);
  EXPECT_EQ(server.connections_accepted(), kBatch);
}

}  // namespace
}  // namespace automuse::http::test
