// bench/accounts/latency_front.cpp — forwarding with a synchronous Beast client (loopback,
// fast), then the reply's latency.
#include "latency_front.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

namespace automuse::bench {
namespace beast = boost::beast;
namespace http = beast::http;
using testing::Reply;

LatencyFront::LatencyFront(std::string backend_base,
                           std::function<testing::Ms(const testing::ReceivedRequest &)> delay)
    : backend_base_(backend_base),
      delay_(std::move(delay)),
      server_(testing::FakeServer::Options{false, nullptr, 8}) {
  auto url = boost::urls::parse_uri(backend_base);
  if (!url) throw std::runtime_error("LatencyFront: bad backend URL " + backend_base);
  host_ = std::string(url->host());
  port_ = static_cast<unsigned short>(std::stoi(std::string(url->port())));
  server_.route("*", "/*", [this](const testing::ReceivedRequest &r) { return forward(r); });
}

Reply LatencyFront::forward(const testing::ReceivedRequest &request) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  boost::asio::ip::tcp::resolver resolver(io);
  stream.connect(resolver.resolve(host_, std::to_string(port_)));
  http::request<http::string_body> req(http::string_to_verb(request.method), request.target, 11);
  for (auto &[name, value] : request.headers) {
    if (beast::iequals(name, "host") || beast::iequals(name, "content-length") ||
        beast::iequals(name, "transfer-encoding") || beast::iequals(name, "connection"))
      continue;
    req.set(name, value);
  }
  req.set(http::field::host, host_ + ":" + std::to_string(port_));
  req.body() = request.body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256u << 20);
  http::read(stream, buffer, parser);
  auto &res = parser.get();
  Reply reply;
  reply.status = res.result_int();
  for (auto &field : res) {
    std::string name(field.name_string());
    if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
        beast::iequals(name, "connection"))
      continue;
    std::string value(field.value());
    if (value.rfind(backend_base_, 0) == 0)
      value = server_.base_url() + value.substr(backend_base_.size());
    reply.headers.emplace_back(name, value);
  }
  reply.body = std::move(res.body());
  beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  reply.latency = delay_(request);
  return reply;
}

}  // namespace automuse::bench
