// tests/support/instagram/loopback_fetch.cpp — a synchronous Beast GET, loopback only.
#include "support/instagram/loopback_fetch.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

namespace automuse::testing::instagram {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

bool loopback_host(const std::string &host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

}  // namespace

Fetched fetch_loopback(const std::string &url) {
  Fetched out;
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || u->scheme() != "http") {
    out.why = "only http:// URLs are fetched by the fake";
    return out;
  }
  const std::string host(u->host());
  if (!loopback_host(host)) {
    out.why = "not a loopback host: " + host;
    return out;
  }
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    const std::string port = u->has_port() ? std::string(u->port()) : "80";
    stream.connect(resolver.resolve(host, port));
    std::string target(u->encoded_path());
    if (target.empty()) target = "/";
    if (u->has_query()) target += "?" + std::string(u->encoded_query());
    http::request<http::empty_body> req(http::verb::get, target, 11);
    req.set(http::field::host, host + ":" + port);
    req.set(http::field::user_agent, "facebookexternalhit/1.1");
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1024ull * 1024 * 1024);
    http::read(stream, buffer, parser);
    if (parser.get().result_int() != 200) {
      out.why = "answered " + std::to_string(parser.get().result_int());
      return out;
    }
    out.bytes = std::move(parser.get().body());
  } catch (const boost::system::system_error &e) {
    out.timed_out = e.code() == beast::error::timeout;
    out.why = e.what();
  }
  return out;
}

}  // namespace automuse::testing::instagram
