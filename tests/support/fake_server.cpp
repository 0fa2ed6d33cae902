// FakeServer: Beast-based loopback HTTP(S) server for tests; see fake_server.hpp.
#include "support/fake_server.hpp"

#include <strings.h>
#include <zlib.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace automuse::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {
constexpr uint64_t kBodyLimit = 4ull << 30;  // uploads in tests can be large
}

// ---------------------------------------------------------------- ReceivedRequest

std::optional<std::string> ReceivedRequest::header(std::string_view name) const {
  for (const auto &[k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return std::nullopt;
}

boost::json::value ReceivedRequest::json() const {
  return boost::json::parse(body);
}

std::optional<std::string> ReceivedRequest::query_param(std::string_view name) const {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  for (auto p : parsed->params())
    if (p.key == name) return std::string(p.value);
  return std::nullopt;
}

uint32_t crc32(std::string_view data, uint32_t crc) {
  while (!data.empty()) {  // zlib takes uInt lengths
    auto n = static_cast<uInt>(std::min<size_t>(data.size(), 1u << 30));
    crc = static_cast<uint32_t>(::crc32(crc, reinterpret_cast<const Bytef *>(data.data()), n));
    data.remove_prefix(n);
  }
  return crc;
}

// ---------------------------------------------------------------- Reply

Reply Reply::pattern(uint64_t bytes, std::string content_type) {
  Reply r;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.pattern_bytes = bytes;
  return r;
}

Reply Reply::text(std::string body, unsigned status, std::string content_type) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", std::move(content_type));
  return r;
}

Reply Reply::json(std::string json_text, unsigned status) {
  return text(std::move(json_text), status, "application/json");
}

Reply Reply::json(const boost::json::value &value, unsigned status) {
  return json(boost::json::serialize(value), status);
}

Reply Reply::error(unsigned status, std::string body) {
  if (body.empty()) body = std::string(bhttp::obsolete_reason(bhttp::int_to_status(status)));
  return text(std::move(body), status);
}

Reply Reply::too_many_requests(int retry_after_seconds) {
  Reply r = error(429, R"({"error":{"message":"Rate limit reached","type":"rate_limit"}})");
  r.headers = {{"Content-Type", "application/json"},
               {"Retry-After", std::to_string(retry_after_seconds)}};
  return r;
}

Reply Reply::sse(const std::vector<std::string> &data_events, Ms interval) {
  std::vector<std::string> parts;
  for (const auto &e : data_events) parts.push_back("data: " + e + "\n\n");
  Reply r = chunked(std::move(parts), interval, "text/event-stream");
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

Reply Reply::chunked(std::vector<std::string> parts, Ms interval, std::string content_type) {
  Reply r;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.chunks = std::move(parts);
  r.chunk_interval = interval;
  return r;
}

Reply Reply::hang_up() {
  Reply r;
  r.close_without_reply = true;
  return r;
}

Reply &Reply::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}
Reply &Reply::with_latency(Ms delay) {
  latency = delay;
  return *this;
}
Reply &Reply::with_dribble(size_t bytes, Ms interval) {
  dribble_bytes = bytes;
  dribble_interval = interval;
  return *this;
}
Reply &Reply::with_close_after(size_t body_bytes) {
  close_after_body_bytes = body_bytes;
  return *this;
}

Reply &Reply::with_framing(Framing framing) {
  pattern_framing = framing;
  return *this;
}

// ---------------------------------------------------------------- Route

Route &Route::latency(Ms delay) {
  latency_ = delay;
  return *this;
}
Route &Route::discard_body() {
  discard_body_ = true;
  return *this;
}

struct Route::Hold {
  size_t until;
  Ms guard;
  std::mutex mutex;
  size_t arrived = 0;
  bool open = false;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // set by the first arrival
  // Each held reply waits on a timer of its own connection's strand, cancelled there to let it go.
  std::vector<std::pair<asio::any_io_executor, std::weak_ptr<asio::steady_timer>>> waiting;
};

Route &Route::hold_replies_until(size_t requests, Ms guard) {
  hold_ = std::make_shared<Hold>();
  hold_->until = requests;
  hold_->guard = guard;
  return *this;
}
Route &Route::close_mid_request(size_t after_body_bytes) {
  close_mid_request_ = after_body_bytes;
  return *this;
}
Route &Route::close_mid_request_if(
    std::function<std::optional<size_t>(const ReceivedRequest &)> decide) {
  close_mid_request_if_ = std::move(decide);
  return *this;
}

// ---------------------------------------------------------------- server state

struct FakeServer::State {
  Options options;
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>();
  std::optional<asio::ssl::context> ssl;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;

  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::vector<std::shared_ptr<Route>> routes;
  std::vector<ReceivedRequest> received;

  std::atomic<size_t> in_flight{0};
  std::atomic<size_t> peak_in_flight{0};
  std::atomic<size_t> accepted{0};

  std::shared_ptr<Route> find_route(const std::string &method, const std::string &path) const {
    std::lock_guard lock(mutex);
    for (auto it = routes.rbegin(); it != routes.rend(); ++it) {
      const Route &r = **it;
      if (r.method_ != "*" && r.method_ != method) continue;
      bool match = !r.path_.empty() && r.path_.back() == '*'
                       ? path.compare(0, r.path_.size() - 1, r.path_, 0, r.path_.size() - 1) == 0
                       : path == r.path_;
      if (match) return *it;
    }
    return nullptr;
  }

  void record(ReceivedRequest req) {
    {
      std::lock_guard lock(mutex);
      received.push_back(std::move(req));
    }
    arrived.notify_all();
  }
};

namespace {

struct InFlight {
  explicit InFlight(FakeServer::State &s) : state(s) {
    size_t now = ++state.in_flight;
    size_t peak = state.peak_in_flight.load();
    while (now > peak && !state.peak_in_flight.compare_exchange_weak(peak, now)) {
    }
  }
  ~InFlight() { --state.in_flight; }
  FakeServer::State &state;
};

template <class Stream>
void close_now(Stream &stream) {
  boost::system::error_code ec;
  beast::get_lowest_layer(stream).socket().close(ec);
}

asio::awaitable<void> pause(Ms delay) {
  if (delay.count() <= 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  co_await timer.async_wait(use_awaitable);
}

// Route::hold_replies_until: counts this request and waits until `until` have arrived (or the
// guard passed); the arrival that completes the count releases everyone held.
asio::awaitable<void> wait_for_the_others(Route::Hold &hold) {
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor);
  {
    std::lock_guard lock(hold.mutex);
    if (hold.open) co_return;
    if (++hold.arrived >= hold.until) {
      hold.open = true;
      for (auto &[strand, held] : hold.waiting)
        asio::post(strand, [held] {
          if (auto t = held.lock()) t->cancel();
        });
      hold.waiting.clear();
      co_return;
    }
    if (!hold.deadline) hold.deadline = std::chrono::steady_clock::now() + hold.guard;
    timer->expires_at(*hold.deadline);
    hold.waiting.emplace_back(executor, timer);
  }
  // Cancelled (released) or expired (the guard): either way the reply goes now.
  boost::system::error_code ignored;
  co_await timer->async_wait(asio::redirect_error(use_awaitable, ignored));
}

std::string head_of(const Reply &reply, bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                     std::string(bhttp::obsolete_reason(bhttp::int_to_status(reply.status))) +
                     "\r\n";
  bool has_length = false;
  for (const auto &[k, v] : reply.headers) {
    if (strcasecmp(k.c_str(), "content-length") == 0) has_length = true;
    head += k + ": " + v + "\r\n";
  }
  const bool pattern_chunked =
      reply.pattern_bytes && reply.pattern_framing == Reply::Framing::chunked;
  const bool close_framed = reply.pattern_bytes && reply.pattern_framing == Reply::Framing::close;
  if (!reply.chunks.empty() || pattern_chunked)
    head += "Transfer-Encoding: chunked\r\n";
  else if (close_framed)
    keep_alive = false;  // the body ends when the connection does
  else if (!has_length)
    head += "Content-Length: " +
            std::to_string(reply.pattern_bytes ? reply.pattern_bytes : reply.body.size()) + "\r\n";
  if (!keep_alive) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

// Writes the reply as planned, honouring dribble, chunking and close-after. Returns false when
// the connection must be closed afterwards.
template <class Stream>
asio::awaitable<bool> write_reply(Stream &stream, const Reply &reply, bool keep_alive) {
  std::string head = head_of(reply, keep_alive);
  size_t limit = reply.close_after_body_bytes.value_or(SIZE_MAX);
  if (reply.pattern_bytes) {
    co_await asio::async_write(stream, asio::buffer(head), use_awaitable);
    std::string piece;
    uint64_t total = std::min<uint64_t>(reply.pattern_bytes, limit);
    for (uint64_t at = 0; at < total;) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(64 * 1024, total - at));
      piece.resize(n);
      for (size_t i = 0; i < n; ++i) piece[i] = Reply::pattern_byte(at + i);
      if (reply.pattern_framing == Reply::Framing::chunked) {
        char size_line[32];
        int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
        piece.insert(0, size_line, static_cast<size_t>(len));
        piece += "\r\n";
      }
      co_await asio::async_write(stream, asio::buffer(piece), use_awaitable);
      at += n;
      if (reply.dribble_interval.count() > 0) co_await pause(reply.dribble_interval);
    }
    if (reply.pattern_framing == Reply::Framing::chunked && total == reply.pattern_bytes)
      co_await asio::async_write(stream, asio::buffer("0\r\n\r\n", 5), use_awaitable);
    co_return keep_alive && !reply.close_after_body_bytes &&
        reply.pattern_framing != Reply::Framing::close;
  }
  if (reply.chunks.empty() && reply.dribble_bytes == 0 && limit >= reply.body.size()) {
    std::array<asio::const_buffer, 2> bufs{asio::buffer(head), asio::buffer(reply.body)};
    co_await asio::async_write(stream, bufs, use_awaitable);
    co_return keep_alive;
  }
  co_await asio::async_write(stream, asio::buffer(head), use_awaitable);
  size_t sent = 0;
  if (reply.chunks.empty()) {
    size_t piece = reply.dribble_bytes ? reply.dribble_bytes : reply.body.size();
    for (size_t at = 0; at < reply.body.size() && sent < limit; at += piece) {
      if (at > 0) co_await pause(reply.dribble_interval);
      size_t n = std::min({piece, reply.body.size() - at, limit - sent});
      co_await asio::async_write(stream, asio::buffer(reply.body.data() + at, n), use_awaitable);
      sent += n;
    }
  } else {
    for (size_t i = 0; i < reply.chunks.size() && sent < limit; ++i) {
      if (i > 0) co_await pause(reply.chunk_interval);
      const std::string &c = reply.chunks[i];
      size_t n = std::min(c.size(), limit - sent);
      char size_line[32];
      int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", c.size());
      std::string framed(size_line, static_cast<size_t>(len));
      framed.append(c, 0, n);
      if (n == c.size()) framed += "\r\n";
      co_await asio::async_write(stream, asio::buffer(framed), use_awaitable);
      sent += n;
    }
    if (sent < limit)
      co_await asio::async_write(stream, asio::buffer("0\r\n\r\n", 5), use_awaitable);
  }
  co_return keep_alive && !reply.close_after_body_bytes;
}

template <class Stream>
asio::awaitable<void> serve(FakeServer::State &s, Stream &stream, uint64_t connection) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    boost::system::error_code ec;
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;  // the client closed the connection (or sent garbage)
    InFlight in_flight(s);
    const auto &msg = parser.get();
    ReceivedRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    for (const auto &f : msg)
      req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    req.connection = connection;
    req.received_at = std::chrono::steady_clock::now();

    auto route = s.find_route(req.method, req.path);
    std::optional<size_t> cut;
    if (route && route->close_mid_request_if_) cut = route->close_mid_request_if_(req);
    if (route && (route->close_mid_request_ || cut)) {
      size_t want = cut ? *cut : *route->close_mid_request_;
      while (buffer.size() < want) {
        size_t n = co_await stream.async_read_some(buffer.prepare(64 * 1024),
                                                   asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        buffer.commit(n);
      }
      auto data = buffer.cdata();
      req.body.assign(static_cast<const char *>(data.data()), std::min(want, data.size()));
      req.body_size = req.body.size();
      req.body_crc32 = crc32(req.body);
      req.complete = false;
      if (cut) {  // before closing: the client's next request must find the bytes kept
        try {
          (void)route->handler_(req);
        } catch (const std::exception &) {
          // The connection is going away; there is nobody to tell.
        }
      }
      s.record(std::move(req));
      close_now(stream);
      co_return;
    }
    if (route && route->discard_body_ && !parser.is_done() && parser.content_length()) {
      uint64_t left = *parser.content_length();
      while (left > 0) {
        if (buffer.size() == 0) {
          size_t n = co_await stream.async_read_some(buffer.prepare(256 * 1024),
                                                     asio::redirect_error(use_awaitable, ec));
          if (ec) break;
          buffer.commit(n);
        }
        auto data = buffer.cdata();
        size_t take = static_cast<size_t>(std::min<uint64_t>(left, data.size()));
        req.body_crc32 = crc32({static_cast<const char *>(data.data()), take}, req.body_crc32);
        req.body_size += take;
        left -= take;
        buffer.consume(take);
      }
      if (left > 0) {
        req.complete = false;
        s.record(std::move(req));
        co_return;
      }
    } else if (!parser.is_done()) {
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        req.complete = false;
        s.record(std::move(req));
        co_return;
      }
    }
    if (!(route && route->discard_body_)) {
      req.body = std::move(parser.get().body());
      req.body_size = req.body.size();
      req.body_crc32 = crc32(req.body);
    }
    bool keep_alive = parser.get().keep_alive();
    ReceivedRequest copy = req;
    s.record(std::move(req));

    Reply reply;
    if (!route) {
      reply = Reply::error(404, "fake server: no route for " + copy.method + " " + copy.path);
    } else {
      try {
        reply = route->handler_(copy);
      } catch (const std::exception &e) {
        reply = Reply::error(500, std::string("fake server handler threw: ") + e.what());
      }
      if (route->hold_) co_await wait_for_the_others(*route->hold_);
      co_await pause(route->latency_);
    }
    co_await pause(reply.latency);
    if (reply.close_without_reply) {
      close_now(stream);
      co_return;
    }
    bool again = co_await write_reply(stream, reply, keep_alive);
    if (!again) {
      if (!reply.close_after_body_bytes) {
        boost::system::error_code ignored;
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
      }
      close_now(stream);
      co_return;
    }
  }
}

asio::awaitable<void> plain_session(FakeServer::State &s, tcp::socket socket, uint64_t id) {
  beast::tcp_stream stream(std::move(socket));
  try {
    co_await serve(s, stream, id);
  } catch (const std::exception &) {
    // The client went away mid-exchange: nothing to report, tests inspect requests().
  }
}

asio::awaitable<void> tls_session(FakeServer::State &s, tcp::socket socket, uint64_t id) {
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *s.ssl);
  try {
    co_await stream.async_handshake(asio::ssl::stream_base::server, use_awaitable);
    co_await serve(s, stream, id);
  } catch (const std::exception &) {
    // Handshake refused by a client that does not trust us, or the client went away.
  }
}

asio::awaitable<void> accept_loop(FakeServer::State &s) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await s.acceptor->async_accept(asio::make_strand(*s.io),
                                                           asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !s.acceptor->is_open()) co_return;
    if (ec) {
      co_await pause(Ms(5));  // e.g. out of descriptors: back off instead of spinning
      continue;
    }
    uint64_t id = ++s.accepted;
    socket.set_option(tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    if (s.ssl)
      asio::co_spawn(ex, tls_session(s, std::move(socket), id), asio::detached);
    else
      asio::co_spawn(ex, plain_session(s, std::move(socket), id), asio::detached);
  }
}

}  // namespace

// ---------------------------------------------------------------- FakeServer

FakeServer::FakeServer() : FakeServer(Options{}) {}

FakeServer::FakeServer(Options options) : state_(std::make_shared<State>()) {
  State &s = *state_;
  s.options = options;
  if (options.tls) {
    if (!options.certificate) throw std::invalid_argument("FakeServer: tls needs a certificate");
    s.ssl.emplace(asio::ssl::context::tls_server);
    s.ssl->use_certificate_chain(asio::buffer(options.certificate->cert_pem));
    s.ssl->use_private_key(asio::buffer(options.certificate->key_pem), asio::ssl::context::pem);
  }
  s.acceptor.emplace(*s.io);
  tcp::endpoint ep(asio::ip::make_address(options.address), 0);
  s.acceptor->open(ep.protocol());
  s.acceptor->set_option(tcp::acceptor::reuse_address(true));
  s.acceptor->bind(ep);
  s.acceptor->listen(asio::socket_base::max_listen_connections);
  s.port = s.acceptor->local_endpoint().port();
  asio::co_spawn(*s.io, accept_loop(s), asio::detached);
  for (int i = 0; i < std::max(1, options.threads); ++i)
    s.threads.emplace_back([&s] { s.io->run(); });
}

FakeServer::~FakeServer() {
  State &s = *state_;
  s.io->stop();
  for (auto &t : s.threads) t.join();
  s.acceptor.reset();
  s.io.reset();  // destroys the suspended connection coroutines while the state still exists
}

Route &FakeServer::route(std::string method, std::string path, Handler handler) {
  auto r = std::make_shared<Route>();
  r->method_ = std::move(method);
  r->path_ = std::move(path);
  r->handler_ = std::move(handler);
  std::lock_guard lock(state_->mutex);
  state_->routes.push_back(r);
  return *r;
}

Route &FakeServer::route(std::string method, std::string path, Reply reply) {
  return route(std::move(method), std::move(path),
               [reply = std::move(reply)](const ReceivedRequest &) { return reply; });
}

Handler FakeServer::sequence(std::vector<Reply> replies) {
  auto shared = std::make_shared<std::vector<Reply>>(std::move(replies));
  auto next = std::make_shared<std::atomic<size_t>>(0);
  return [shared, next](const ReceivedRequest &) {
    size_t i = next->fetch_add(1);
    return (*shared)[std::min(i, shared->size() - 1)];
  };
}

uint16_t FakeServer::port() const {
  return state_->port;
}

std::string FakeServer::base_url() const {
  return std::string(state_->ssl ? "https" : "http") + "://" + state_->options.address + ":" +
         std::to_string(port());
}

std::string FakeServer::url(std::string_view path_and_query) const {
  return base_url() + std::string(path_and_query);
}

std::vector<ReceivedRequest> FakeServer::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->received;
}

std::vector<ReceivedRequest> FakeServer::requests(std::string_view path) const {
  std::lock_guard lock(state_->mutex);
  std::vector<ReceivedRequest> out;
  for (const auto &r : state_->received)
    if (r.path == path) out.push_back(r);
  return out;
}

size_t FakeServer::request_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->received.size();
}

bool FakeServer::wait_for_requests(size_t n, Ms timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->arrived.wait_for(lock, timeout, [&] { return state_->received.size() >= n; });
}

void FakeServer::clear_requests() {
  std::lock_guard lock(state_->mutex);
  state_->received.clear();
}

size_t FakeServer::in_flight() const {
  return state_->in_flight.load();
}
size_t FakeServer::peak_in_flight() const {
  return state_->peak_in_flight.load();
}
size_t FakeServer::connections_accepted() const {
  return state_->accepted.load();
}

}  // namespace automuse::testing
