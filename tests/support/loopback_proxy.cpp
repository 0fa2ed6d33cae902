// LoopbackProxy: forward proxy (absolute-form and CONNECT) for tests; see loopback_proxy.hpp.
#include "support/loopback_proxy.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <optional>
#include <thread>

namespace automuse::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::use_awaitable;
using asio::ip::tcp;

struct LoopbackProxy::State {
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>();
  std::optional<tcp::acceptor> acceptor;
  std::thread thread;
  uint16_t port = 0;
  mutable std::mutex mutex;
  std::vector<std::string> seen;

  void note(std::string line) {
    std::lock_guard lock(mutex);
    seen.push_back(std::move(line));
  }
};

namespace {

bool is_loopback_host(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

asio::awaitable<void> relay(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
  std::array<char, 16384> buf;
  boost::system::error_code ec;
  for (;;) {
    size_t n =
        co_await from->async_read_some(asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    co_await asio::async_write(*to, asio::buffer(buf.data(), n),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) break;
  }
  to->shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> tunnel(LoopbackProxy::State &s, std::shared_ptr<tcp::socket> client,
                             beast::flat_buffer &buffer, const std::string &authority) {
  auto colon = authority.rfind(':');
  std::string host = authority.substr(0, colon);
  std::string port = colon == std::string::npos ? "443" : authority.substr(colon + 1);
  auto upstream = std::make_shared<tcp::socket>(client->get_executor());
  boost::system::error_code ec;
  if (is_loopback_host(host)) {
    tcp::resolver resolver(client->get_executor());
    auto eps = co_await resolver.async_resolve(host, port, asio::redirect_error(use_awaitable, ec));
    if (!ec) co_await asio::async_connect(*upstream, eps, asio::redirect_error(use_awaitable, ec));
  }
  std::string answer = !is_loopback_host(host)
                           ? "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
                       : ec ? "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
                            : "HTTP/1.1 200 Connection Established\r\n\r\n";
  co_await asio::async_write(*client, asio::buffer(answer), use_awaitable);
  if (!is_loopback_host(host) || ec) co_return;
  if (buffer.size() > 0) {  // bytes the client sent right after CONNECT
    co_await asio::async_write(*upstream, buffer.cdata(), use_awaitable);
    buffer.consume(buffer.size());
  }
  asio::co_spawn(client->get_executor(), relay(upstream, client), asio::detached);
  co_await relay(client, upstream);
  (void)s;
}

asio::awaitable<void> session(LoopbackProxy::State &s, std::shared_ptr<tcp::socket> client) {
  beast::flat_buffer buffer;
  try {
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(1ull << 32);
      boost::system::error_code ec;
      co_await bhttp::async_read(*client, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      auto req = parser.release();
      std::string target(req.target());
      s.note(std::string(req.method_string()) + " " + target);
      if (req.method() == bhttp::verb::connect) {
        co_await tunnel(s, client, buffer, target);
        co_return;
      }
      auto url = boost::urls::parse_absolute_uri(target);
      if (!url || !is_loopback_host(url->host())) {
        bhttp::response<bhttp::string_body> res(bhttp::status::forbidden, 11);
        res.body() = "loopback proxy: only loopback targets are allowed";
        res.prepare_payload();
        co_await bhttp::async_write(*client, res, use_awaitable);
        co_return;
      }
      tcp::socket upstream(client->get_executor());
      tcp::resolver resolver(client->get_executor());
      // Named locals, not temporaries inside the co_await expression: g++ 12 destroys
      // conditional-operator temporaries there wrongly.
      std::string host(url->host());
      std::string port = url->has_port() ? std::string(url->port()) : std::string("80");
      auto eps = co_await resolver.async_resolve(host, port, use_awaitable);
      co_await asio::async_connect(upstream, eps, use_awaitable);
      std::string origin_form(url->encoded_path());
      if (origin_form.empty()) origin_form = "/";
      if (url->has_query()) origin_form += "?" + std::string(url->encoded_query());
      req.target(origin_form);
      req.erase("Proxy-Connection");
      req.erase("Proxy-Authorization");
      bool keep_alive = req.keep_alive();
      req.keep_alive(false);
      co_await bhttp::async_write(upstream, req, use_awaitable);
      beast::flat_buffer up_buffer;
      bhttp::response_parser<bhttp::string_body> res_parser;
      res_parser.body_limit(1ull << 32);
      co_await bhttp::async_read(upstream, up_buffer, res_parser, use_awaitable);
      auto res = res_parser.release();
      res.keep_alive(keep_alive);
      res.prepare_payload();
      co_await bhttp::async_write(*client, res, use_awaitable);
      if (!keep_alive) co_return;
    }
  } catch (const std::exception &) {
    // Either side went away; the test looks at what arrived.
  }
}

asio::awaitable<void> accept_loop(LoopbackProxy::State &s) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await s.acceptor->async_accept(asio::make_strand(*s.io),
                                                           asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    auto client = std::make_shared<tcp::socket>(std::move(socket));
    asio::co_spawn(client->get_executor(), session(s, client), asio::detached);
  }
}

}  // namespace

LoopbackProxy::LoopbackProxy() : state_(std::make_shared<State>()) {
  State &s = *state_;
  s.acceptor.emplace(*s.io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  s.port = s.acceptor->local_endpoint().port();
  asio::co_spawn(*s.io, accept_loop(s), asio::detached);
  s.thread = std::thread([&s] { s.io->run(); });
}

LoopbackProxy::~LoopbackProxy() {
  state_->io->stop();
  state_->thread.join();
  state_->acceptor.reset();
  state_->io.reset();
}

uint16_t LoopbackProxy::port() const {
  return state_->port;
}
std::string LoopbackProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

std::vector<std::string> LoopbackProxy::seen() const {
  std::lock_guard lock(state_->mutex);
  return state_->seen;
}

}  // namespace automuse::testing
