// host/oauth/redirect_listener.cpp — accepting and answering the browser's redirect.
#include "oauth/redirect_listener.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

namespace automuse::oauth {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kReadTimeout = std::chrono::seconds(10);  // a browser sends at once
constexpr auto kWriteTimeout = std::chrono::seconds(5);
}  // namespace

struct RedirectListener::Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request_parser<http::empty_body> parser;
  http::response<http::string_body> response;
};

RedirectHit redirect_hit(std::string_view method, std::string_view target) {
  RedirectHit hit;
  hit.method = std::string(method);
  auto url = boost::urls::parse_origin_form(target);
  if (url) {
    hit.path = std::string(url->path());
    for (auto p : url->params())
      if (!hit.query.count(std::string(p.key)))
        hit.query.emplace(std::string(p.key), std::string(p.value));
  }
  return hit;
}

RedirectListener::RedirectListener(asio::any_io_executor executor)
    : executor_(executor), acceptor_(executor) {}

std::shared_ptr<RedirectListener> RedirectListener::open(asio::any_io_executor executor,
                                                         uint16_t port, std::string &error) {
  auto self = std::make_shared<RedirectListener>(executor);
  boost::system::error_code ec;
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
  self->acceptor_.open(endpoint.protocol(), ec);
  if (!ec) self->acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) self->acceptor_.bind(endpoint, ec);
  if (!ec) self->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message();
    return nullptr;
  }
  self->port_ = self->acceptor_.local_endpoint().port();
  return self;
}

void RedirectListener::start(OnRequest on_request) {
  on_request_ = std::move(on_request);
  accept();
}

void RedirectListener::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (auto &c : reading_) c->stream.socket().close(ec);
  reading_.clear();
}

void RedirectListener::accept() {
  if (stopped_) return;
  acceptor_.async_accept(executor_, [self = shared_from_this()](boost::system::error_code ec,
                                                                tcp::socket socket) {
    if (self->stopped_ || ec == boost::asio::error::operation_aborted) return;
    if (!ec) {
      auto c = std::make_shared<Connection>(std::move(socket));
      c->parser.header_limit(16 * 1024);
      self->reading_.insert(c);
      c->stream.expires_after(kReadTimeout);
      http::async_read(
          c->stream, c->buffer, c->parser, [self, c](boost::system::error_code ec, size_t) {
            if (!self->reading_.erase(c) || ec) return;  // stopped, timed out or not HTTP
            c->stream.expires_never();
            const auto &req = c->parser.get();
            const RedirectHit hit = redirect_hit(req.method_string(), req.target());
            Responder respond = [c](unsigned status, std::string html,
                                    std::function<void()> after) {
              auto &res = c->response;
              res.version(11);
              res.result(static_cast<http::status>(status));
              res.set(http::field::content_type, "text/html; charset=utf-8");
              res.set(http::field::cache_control, "no-store");
              res.set("Referrer-Policy", "no-referrer");
              res.keep_alive(false);
              res.body() = std::move(html);
              res.prepare_payload();
              c->stream.expires_after(kWriteTimeout);
              http::async_write(c->stream, res,
                                [c, after = std::move(after)](boost::system::error_code, size_t) {
                                  boost::system::error_code ignored;
                                  c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                                  c->stream.socket().close(ignored);
                                  if (after) after();
                                });
            };
            self->on_request_(hit, std::move(respond));
          });
    }
    self->accept();
  });
}

}  // namespace automuse::oauth
