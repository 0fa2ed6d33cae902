// host/web/http_server.cpp — the listener and one connection's session.
#include "web/http_server.hpp"

#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <deque>
#include <map>

#include "log/logging.hpp"

namespace automuse::web {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class Session;

struct HttpServer::Shared {
  Shared(asio::io_context &io_, ServerLimits l, Handler h)
      : io(io_), acceptor(io_), limits(l), handler(std::move(h)) {}
  asio::io_context &io;
  tcp::acceptor acceptor;
  ServerLimits limits;
  Handler handler;
  bool stopped = false;
  uint64_t next_id = 0;
  std::map<uint64_t, std::weak_ptr<Session>> sessions;
};

namespace {

// The head of an event stream: no length, the connection ends the body.
constexpr const char *kStreamHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
    "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";

template <class Message>
void harden(Message &m, bool keep_alive) {
  m.version(11);
  m.keep_alive(keep_alive);
  m.set("X-Content-Type-Options", "nosniff");
  m.set(http::field::server, "automuse");
}

}  // namespace

class Session : public std::enable_shared_from_this<Session>, public EventSink {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared, uint64_t id)
      : stream_(std::move(socket)), shared_(std::move(shared)), id_(id) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    client_ = ec ? "unknown" : remote.address().to_string();
  }
  ~Session() override {
    if (auto it = shared_->sessions.find(id_); it != shared_->sessions.end())
      shared_->sessions.erase(it);
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(shared_->limits.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(shared_->limits.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  // EventSink
  void send(std::string text) override {
    if (!open()) return;
    outbox_.push_back(std::move(text));
    if (outbox_.size() == 1) write_next();
  }
  bool open() const override { return streaming_ && !closed_ && !ending_; }
  void end() override {
    ending_ = true;
    if (outbox_.empty()) linger();
  }
  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset)
      return close();
    if (ec == http::error::body_limit)
      return answer(error_response(http::status::payload_too_large, "body_too_large",
                                   "the request's body is larger than " +
                                       std::to_string(shared_->limits.body_limit) + " bytes"),
                    false);
    if (ec == http::error::header_limit)
      return answer(error_response(http::status::request_header_fields_too_large, "head_too_large",
                                   "the request's head is too large"),
                    false);
    if (ec)
      return answer(error_response(http::status::bad_request, "bad_request",
                                   "the request is not valid HTTP/1.1"),
                    false);
    Request request = parser_->release();
    const bool keep_alive = request.keep_alive();
    Reply reply = shared_->handler(request, client_);
    std::visit(
        [&](auto &r) {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, StreamReply>)
            stream(std::move(r));
          else
            answer(std::move(r), keep_alive);
        },
        reply);
  }

  template <class Message>
  void answer(Message &&m, bool keep_alive) {
    auto msg = std::make_shared<std::decay_t<Message>>(std::move(m));
    harden(*msg, keep_alive);
    stream_.expires_after(shared_->limits.write_timeout);
    http::async_write(stream_, *msg,
                      [self = shared_from_this(), msg, keep_alive](beast::error_code ec, size_t) {
                        if (ec || self->shared_->stopped) return self->close();
                        if (!keep_alive) return self->linger();
                        self->read();
                      });
  }

  // Ends a connection after an answer without losing it: a client may still be sending (a
  // body past the limit), and closing a socket with unread data resets it, which can destroy
  // the answer in flight. So: stop sending, read and drop what comes until the client closes
  // (or for at most 2 s), then close.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    if (!drain_) drain_ = std::make_unique<std::array<char, 8192>>();
    stream_.expires_after(std::chrono::seconds(2));
    stream_.async_read_some(asio::buffer(*drain_),
                            [self = shared_from_this()](beast::error_code e, size_t) {
                              if (e) return self->close();
                              self->linger_more();
                            });
  }
  void linger_more() {
    stream_.async_read_some(asio::buffer(*drain_),
                            [self = shared_from_this()](beast::error_code e, size_t) {
                              if (e) return self->close();
                              self->linger_more();
                            });
  }

  void stream(StreamReply reply) {
    streaming_ = true;
    send(kStreamHead);
    if (reply.start) reply.start(shared_from_this());
  }

  void write_next() {
    stream_.expires_after(shared_->limits.write_timeout);
    asio::async_write(stream_, asio::buffer(outbox_.front()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->close();
                        self->outbox_.pop_front();
                        if (!self->outbox_.empty()) return self->write_next();
                        if (self->ending_) self->linger();
                      });
  }

  beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::Shared> shared_;
  uint64_t id_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool streaming_ = false;
  bool ending_ = false;  // the stream's producer ended it: close once written
  bool closed_ = false;
  std::deque<std::string> outbox_;
  std::unique_ptr<std::array<char, 8192>> drain_;  // lingering close
};

HttpServer::HttpServer(asio::io_context &io, const tcp::endpoint &where, ServerLimits limits,
                       Handler handler)
    : shared_(std::make_shared<Shared>(io, limits, std::move(handler))) {
  beast::error_code ec;
  auto &a = shared_->acceptor;
  a.open(where.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(where, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + where.address().to_string() + ":" +
                             std::to_string(where.port()) + ": " + ec.message());
}

HttpServer::~HttpServer() {
  stop();
}

tcp::endpoint HttpServer::local_endpoint() const {
  return shared_->acceptor.local_endpoint();
}

void HttpServer::start() {
  accept();
}

void HttpServer::accept() {
  accept_next(shared_);
}

void accept_next(const std::shared_ptr<HttpServer::Shared> &shared) {
  shared->acceptor.async_accept(shared->io, [shared](beast::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted || shared->stopped) return;
    // A full house closes the new connection (s goes out of scope); other accept errors (too
    // many open files) are passed over: the next accept tries again.
    if (!ec && shared->sessions.size() < shared->limits.max_connections) {
      const uint64_t id = ++shared->next_id;
      auto session = std::make_shared<Session>(std::move(s), shared, id);
      shared->sessions[id] = session;
      session->read();
    }
    accept_next(shared);
  });
}

void HttpServer::stop() {
  if (shared_->stopped) return;
  shared_->stopped = true;
  beast::error_code ec;
  shared_->acceptor.close(ec);
  auto sessions = shared_->sessions;  // closing erases from the map
  for (auto &[id, weak] : sessions)
    if (auto s = weak.lock()) s->close();
}

}  // namespace automuse::web
