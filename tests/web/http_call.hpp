// tests/web/http_call.hpp — a plain HTTP/1.1 client for the API tests, on Boost.Beast over
// loopback: one request per connection, the answer read whole (or, for an event stream, read
// until a marker or a deadline). Optionally records each JSON answer (method, the document's
// path template, status, body) in a JSON-lines file that tests/web/openapi/validate.mjs checks
// against the OpenAPI document. Header-only.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <string>

namespace automuse::testing {

struct HttpAnswer {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  boost::json::value json() const {
    boost::json::error_code ec;
    auto v = boost::json::parse(body, ec);
    return ec ? boost::json::value(nullptr) : v;
  }
  // error.code of an error answer ("" when there is none)
  std::string error_code() const {
    auto v = json();
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    auto &e = v.as_object().at("error");
    return e.is_object() && e.as_object().contains("code")
               ? std::string(e.as_object().at("code").as_string())
               : "";
  }
  std::string header(const std::string &name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpCall {
  std::string method = "GET";
  std::string target;
  std::string body;
  std::string token;  // Authorization: Bearer TOKEN when not empty
  std::string host;   // the Host header; "127.0.0.1:PORT" when empty
  std::map<std::string, std::string> headers;
};

inline HttpAnswer http_call(uint16_t port, const HttpCall &c) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(60));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::string_to_verb(c.method), c.target, 11};
  req.set(http::field::host, c.host.empty() ? "127.0.0.1:" + std::to_string(port) : c.host);
  if (!c.token.empty()) req.set(http::field::authorization, "Bearer " + c.token);
  for (auto &[k, v] : c.headers) req.set(k, v);
  if (!c.body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = c.body;
  req.prepare_payload();
  beast::error_code ec;
  http::write(stream, req, ec);  // a refused body may end the write early: read the answer
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  http::read(stream, buffer, parser, ec);
  HttpAnswer a;
  if (ec && !parser.is_header_done()) return a;  // status 0: no answer
  auto &res = parser.get();
  a.status = res.result_int();
  for (auto &f : res) {
    std::string name(f.name_string());
    for (auto &ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    a.headers[name] = std::string(f.value());
  }
  a.body = res.body();
  return a;
}

// Reads an event stream (GET `target`) until the message in which `until` appears has come
// whole (up to the blank line that ends it: a message may span reads, e.g. "event: end" in one
// and its data line in the next), the stream ends, or `seconds` pass; returns everything read
// after the head.
inline std::string read_stream(uint16_t port, const std::string &target, const std::string &until,
                               int seconds, const std::string &token = "",
                               const std::string &more_headers = "") {
  namespace beast = boost::beast;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nAccept: text/event-stream\r\n" +
                    (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") +
                    more_headers + "\r\n";
  boost::asio::write(stream, boost::asio::buffer(req));
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    stream.expires_at(deadline);
    beast::error_code ec;
    size_t n = stream.read_some(boost::asio::buffer(buf), ec);
    got.append(buf, n);
    const size_t at = got.find(until);
    if (ec || (at != std::string::npos && got.find("\n\n", at) != std::string::npos)) break;
  }
  const size_t head = got.find("\r\n\r\n");
  return head == std::string::npos ? got : got.substr(head + 4);
}

// Appends one answer to the JSON-lines file the OpenAPI check reads.
inline void record_answer(const std::string &file, const std::string &method,
                          const std::string &path_template, const HttpAnswer &a) {
  if (file.empty() || a.header("content-type") != "application/json") return;
  boost::json::object o{
      {"method", method}, {"path", path_template}, {"status", a.status}, {"body", a.json()}};
  std::ofstream(file, std::ios::app) << boost::json::serialize(o) << "\n";
}

}  // namespace automuse::testing
