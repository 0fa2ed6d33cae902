// tests/tiktok_fake/tiktok_client.cpp — synchronous Beast requests for the fake's tests.
#include "tiktok_fake/tiktok_client.hpp"

#include <openssl/sha.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

#include "support/encoding.hpp"
#include "support/fake_server.hpp"

namespace automuse::testing::tiktok_test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Target {
  std::string host, port, path;
};

Target target_of(const std::string &url) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "http") throw std::runtime_error("not an http URL: " + url);
  Target t{std::string(u->host()), u->has_port() ? std::string(u->port()) : "80",
           std::string(u->encoded_path())};
  if (t.path.empty()) t.path = "/";
  if (u->has_query()) t.path += "?" + std::string(u->encoded_query());
  return t;
}

// Writes the head and `body_bytes` bytes made by `body(offset, n)`, then reads the answer.
template <class Body>
Answer exchange(const std::string &method, const std::string &url, const Headers &headers,
                uint64_t body_bytes, Body body) {
  Answer a;
  try {
    const Target t = target_of(url);
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(60));
    stream.connect(resolver.resolve(t.host, t.port));
    std::string head = method + " " + t.path + " HTTP/1.1\r\nHost: " + t.host + ":" + t.port +
                       "\r\nConnection: close\r\nContent-Length: " + std::to_string(body_bytes) +
                       "\r\n";
    for (const auto &[k, v] : headers) head += k + ": " + v + "\r\n";
    head += "\r\n";
    asio::write(stream.socket(), asio::buffer(head));
    constexpr uint64_t kPiece = 1 << 20;
    for (uint64_t at = 0; at < body_bytes; at += kPiece) {
      const std::string piece = body(at, std::min(kPiece, body_bytes - at));
      beast::error_code ec;
      asio::write(stream.socket(), asio::buffer(piece), ec);
      if (ec) break;  // the server stopped reading: its answer (if any) tells why
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(stream, buffer, parser);
    const auto &res = parser.get();
    a.status = res.result_int();
    a.body = res.body();
    for (const auto &f : res)
      a.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  } catch (const std::exception &e) {
    a.status = 0;
    a.error = e.what();
  }
  return a;
}

Answer send_text(const std::string &method, const std::string &url, const Headers &headers,
                 const std::string &body) {
  return exchange(method, url, headers, body.size(),
                  [&](uint64_t at, uint64_t n) { return body.substr(at, n); });
}

}  // namespace

std::optional<std::string> Answer::header(const std::string &name) const {
  for (const auto &[k, v] : headers)
    if (beast::iequals(k, name)) return v;
  return std::nullopt;
}

boost::json::value Answer::json() const {
  return boost::json::parse(body);
}

std::string Answer::code() const {
  boost::json::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const auto &error = v.as_object().if_contains("error");
  if (!error) return "";
  if (error->is_string()) return std::string(error->as_string());
  if (error->is_object() && error->as_object().contains("code"))
    return std::string(error->as_object().at("code").as_string());
  return "";
}

Answer get(const std::string &url) {
  return send_text("GET", url, {}, "");
}

Answer post_form(const std::string &url, const std::string &form) {
  return send_text("POST", url, {{"Content-Type", "application/x-www-form-urlencoded"}}, form);
}

Answer post_json(const std::string &url, const std::string &bearer, const std::string &body) {
  Headers h{{"Content-Type", "application/json; charset=UTF-8"}};
  if (!bearer.empty()) h.emplace_back("Authorization", "Bearer " + bearer);
  return send_text("POST", url, h, body);
}

Answer put_chunk(const std::string &upload_url, const Chunk &c) {
  const std::string range =
      c.content_range.value_or("bytes " + std::to_string(c.first) + "-" + std::to_string(c.last) +
                               "/" + std::to_string(c.total));
  return exchange("PUT", upload_url, {{"Content-Type", c.content_type}, {"Content-Range", range}},
                  c.last - c.first + 1,
                  [&](uint64_t at, uint64_t n) { return file_bytes(c.first + at, n); });
}

std::string file_bytes(uint64_t first, uint64_t count) {
  std::string out(count, '\0');
  for (uint64_t i = 0; i < count; ++i) out[i] = Reply::pattern_byte(first + i);
  return out;
}

uint32_t file_crc(uint64_t first, uint64_t count) {
  uint32_t crc = 0;
  for (uint64_t at = 0; at < count; at += 1 << 20)
    crc = crc32(file_bytes(first + at, std::min<uint64_t>(1 << 20, count - at)), crc);
  return crc;
}

std::string base64url_sha256(const std::string &text) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(text.data()), text.size(), d);
  return base64url(std::string_view(reinterpret_cast<const char *>(d), sizeof d));
}

}  // namespace automuse::testing::tiktok_test
