// tests/support/oauth/fake_browser.cpp — synchronous Beast GETs with redirects followed.
#include "support/oauth/fake_browser.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <chrono>

namespace automuse::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

BrowserPage request(http::verb method, const std::string &url, const std::string &body,
                    const std::vector<std::pair<std::string, std::string>> &headers) {
  BrowserPage page;
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "http") {
    page.error = "not an http URL: " + url;
    return page;
  }
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(15));
    std::string port = u->has_port() ? std::string(u->port()) : "80";
    stream.connect(resolver.resolve(std::string(u->host()), port));
    std::string target = std::string(u->encoded_path());
    if (target.empty()) target = "/";
    if (u->has_query()) target += "?" + std::string(u->encoded_query());
    http::request<http::string_body> req(method, target, 11);
    req.set(http::field::host, std::string(u->host()) + ":" + port);
    req.set(http::field::user_agent, "automuse-test-browser");
    req.set(http::field::accept, "text/html");
    for (const auto &[k, v] : headers) req.set(k, v);
    if (method == http::verb::post) {
      req.body() = body;
      req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    page.status = res.result_int();
    page.body = res.body();
    if (auto it = res.find(http::field::location); it != res.end())
      page.location = std::string(it->value());
    if (auto it = res.find(http::field::retry_after); it != res.end())
      page.retry_after = std::string(it->value());
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  } catch (const std::exception &e) {
    page.status = 0;
    page.error = e.what();
  }
  return page;
}

}  // namespace

BrowserPage browser_get(const std::string &url) {
  return request(http::verb::get, url, {}, {});
}

BrowserPage http_post_form(const std::string &url, const std::string &form,
                           const std::vector<std::pair<std::string, std::string>> &headers) {
  auto all = headers;
  all.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return request(http::verb::post, url, form, all);
}

BrowserVisit browser_visit(const std::string &url) {
  BrowserVisit v;
  std::string next = url;
  for (int i = 0; i < 6; ++i) {
    v.urls.push_back(next);
    v.page = browser_get(next);
    if (v.page.status < 300 || v.page.status >= 400 || v.page.location.empty()) break;
    next = v.page.location;
  }
  return v;
}

}  // namespace automuse::testing
