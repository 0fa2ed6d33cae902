// FakeServer: an in-process HTTP/1.1 (and HTTPS) server on 127.0.0.1 with an ephemeral port,
// built on Boost.Beast, for tests of anything that talks HTTP. Register routes with handlers,
// inspect every request received, and inject faults per route or per reply: latency,
// replies held until N requests arrived, 429 + Retry-After, 5xx, closing mid-request or
// mid-response, dribbled bodies, chunked bodies and Server-Sent Events streams.
//
//   FakeServer server;
//   server.route("POST", "/v1/chat/completions", [](const ReceivedRequest &req) {
//     return Reply::json(R"({"ok":true})");
//   });
//   server.route("GET", "/busy", FakeServer::sequence({Reply::too_many_requests(1),
//   Reply::text("hi")}));
//   ... client.send(server.url("/busy")) ...
//   EXPECT_EQ(server.requests("/busy").size(), 2);
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/test_certificate.hpp"

namespace automuse::testing {

using Ms = std::chrono::milliseconds;
using FieldList = std::vector<std::pair<std::string, std::string>>;

struct ReceivedRequest {
  std::string method;
  std::string target;  // as sent: "/v1/items?id=3"
  std::string path;    // "/v1/items"
  std::string query;   // "id=3"
  FieldList headers;
  std::string body;         // empty when the route discards bodies
  uint64_t body_size = 0;   // bytes of body received
  uint32_t body_crc32 = 0;  // CRC-32 of the body received (see crc32())
  bool complete = true;     // false when the route closed the connection before the body ended
  uint64_t connection = 0;  // which connection it came on (1, 2, ...): shows keep-alive reuse
  std::chrono::steady_clock::time_point received_at;  // when its header arrived

  // Case-insensitive header lookup.
  std::optional<std::string> header(std::string_view name) const;
  // The body parsed as JSON; throws if it is not JSON.
  boost::json::value json() const;
  // A query parameter's (percent-decoded) value.
  std::optional<std::string> query_param(std::string_view name) const;
};

struct Reply {
  unsigned status = 200;
  FieldList headers;
  std::string body;

  // Shapes and faults of this reply.
  Ms latency{0};                    // wait before sending anything
  std::vector<std::string> chunks;  // non-empty: Transfer-Encoding: chunked, one chunk each
  Ms chunk_interval{0};             // pause between chunks (SSE, NDJSON)
  size_t dribble_bytes = 0;         // send the body in pieces of this many bytes...
  Ms dribble_interval{0};           // ...pausing this long between pieces
  std::optional<size_t> close_after_body_bytes;  // promise the whole body, close after this many
  bool close_without_reply = false;              // read the request, then close: no response
  uint64_t pattern_bytes = 0;  // non-zero: the body is pattern_byte(0..n-1), made while sending
  // How a pattern body's end is told: its Content-Length, chunked encoding (no length), or by
  // closing the connection (no length either). With chunked or close, a pattern of
  // UINT64_MAX bytes is a body that never ends.
  enum class Framing { length, chunked, close };
  Framing pattern_framing = Framing::length;

  // Byte i of a pattern body: lets tests send and check huge bodies without holding them.
  static char pattern_byte(uint64_t i) { return static_cast<char>((i * 31 + i / 4099) & 0xff); }

  static Reply text(std::string body, unsigned status = 200,
                    std::string content_type = "text/plain; charset=utf-8");
  static Reply json(std::string json_text, unsigned status = 200);
  static Reply json(const char *json_text, unsigned status = 200) {
    return json(std::string(json_text), status);
  }
  static Reply json(const boost::json::value &value, unsigned status = 200);
  static Reply error(unsigned status, std::string body = {});
  // 429 with "Retry-After: <seconds>".
  static Reply too_many_requests(int retry_after_seconds);
  // A text/event-stream of "data: <event>\n\n" chunks, one every `interval`.
  static Reply sse(const std::vector<std::string> &data_events, Ms interval = Ms(0));
  // Chunked body, one chunk per element, `interval` apart (NDJSON lines, for example).
  static Reply chunked(std::vector<std::string> parts, Ms interval = Ms(0),
                       std::string content_type = "application/octet-stream");
  // Closes the connection without answering.
  static Reply hang_up();
  // A body of `bytes` pattern bytes, generated while sending (constant server memory).
  static Reply pattern(uint64_t bytes, std::string content_type = "application/octet-stream");

  Reply &with_header(std::string name, std::string value);
  Reply &with_latency(Ms delay);
  Reply &with_dribble(size_t bytes, Ms interval);
  Reply &with_close_after(size_t body_bytes);
  Reply &with_framing(Framing framing);
};

using Handler = std::function<Reply(const ReceivedRequest &)>;

// CRC-32 (the zlib one) of `data`, continuing from `crc`: compare with body_crc32.
uint32_t crc32(std::string_view data, uint32_t crc = 0);

// Per-route options, set through the reference route() returns.
class Route {
 public:
  // Wait this long before every reply of this route (added to the reply's own latency).
  Route &latency(Ms delay);
  // Read only this many body bytes of each request, then close the connection.
  Route &close_mid_request(size_t after_body_bytes);
  // Decided per request from its header: when `decide` returns a count, read only that many
  // body bytes, hand the incomplete request (complete == false) to the handler so a fake can
  // keep what arrived, as a real server does, ignore its reply and close the connection.
  Route &close_mid_request_if(
      std::function<std::optional<size_t>(const ReceivedRequest &head)> decide);
  // Count and checksum request bodies instead of keeping them (for huge uploads).
  Route &discard_body();
  // A barrier: hold every reply of this route until `requests` of its requests have arrived,
  // then answer them all (later ones at once). A test of "N requests in flight at once" is
  // then decided by the server seeing N before answering any, not by a race against a delay.
  // `guard` only bounds a failure: once it passed (counted from the first arrival) the held
  // replies go anyway, and peak_in_flight() tells how many were really waiting together.
  Route &hold_replies_until(size_t requests, Ms guard = Ms(60000));

  struct Hold;  // the barrier's state, shared by the connections of this route

 public:  // read by the server
  std::string method_;
  std::string path_;  // a trailing '*' matches any suffix
  Handler handler_;
  Ms latency_{0};
  std::optional<size_t> close_mid_request_;
  std::function<std::optional<size_t>(const ReceivedRequest &)> close_mid_request_if_;
  bool discard_body_ = false;
  std::shared_ptr<Hold> hold_;
};

class FakeServer {
 public:
  struct Options {
    bool tls = false;
    const TestCertificate *certificate = nullptr;  // required for tls
    int threads = 1;                               // handlers run on these threads
    std::string address = "127.0.0.1";             // another loopback one (127.0.0.2) is a
                                                   // second host without DNS
  };

  FakeServer();
  explicit FakeServer(Options options);
  ~FakeServer();
  FakeServer(const FakeServer &) = delete;
  FakeServer &operator=(const FakeServer &) = delete;

  // Registers a handler for `method` ("*" = any) and `path` (exact, or a prefix ending in '*').
  // Later routes win over earlier ones for the same request. Unmatched requests get a 404.
  Route &route(std::string method, std::string path, Handler handler);
  // Shorthand: always the same reply.
  Route &route(std::string method, std::string path, Reply reply);

  // A handler answering with each reply in turn, repeating the last one.
  static Handler sequence(std::vector<Reply> replies);

  uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>" or "https://..."
  std::string url(std::string_view path_and_query) const;

  // Every request received so far (also incomplete ones), in arrival order.
  std::vector<ReceivedRequest> requests() const;
  // Those whose path equals `path`.
  std::vector<ReceivedRequest> requests(std::string_view path) const;
  size_t request_count() const;
  // Blocks until at least `n` requests arrived or `timeout` passed; true if they did.
  bool wait_for_requests(size_t n, Ms timeout = Ms(5000)) const;
  void clear_requests();

  // Requests being handled right now, and the most ever handled at the same time.
  size_t in_flight() const;
  size_t peak_in_flight() const;
  // Connections accepted so far.
  size_t connections_accepted() const;

  struct State;  // shared with the connection coroutines

 private:
  std::shared_ptr<State> state_;
};

}  // namespace automuse::testing
