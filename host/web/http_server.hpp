// host/web/http_server.hpp — an HTTP/1.1 server on Boost.Beast: accepts connections on one
// address, reads each request whole (the head within 16 KiB, the body within a limit: 413
// beyond), hands it to the handler, and writes the reply — a whole response, a file window, or
// an event stream that stays open until either side ends it. Keep-alive is honoured for whole
// responses. Slow clients are cut off: a request must arrive within the read timeout, an idle
// kept-alive connection is closed after it, and every write must finish within the write
// timeout. At most `max_connections` are open at once; more are closed as they come.
//
// Threads: everything runs on the thread that runs `io` (the host's main thread); handlers are
// called there and must not block for long.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "web/http_message.hpp"

namespace automuse::web {

struct ServerLimits {
  size_t body_limit = 1 << 20;  // bytes of a request's body
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds write_timeout{60000};
  size_t max_connections = 512;
};

// Called with the request and the client's address (an IP literal).
using Handler = std::function<Reply(Request &request, const std::string &client)>;

class HttpServer {
 public:
  // Binds `where` (throws std::runtime_error naming the address when it cannot).
  HttpServer(boost::asio::io_context &io, const boost::asio::ip::tcp::endpoint &where,
             ServerLimits limits, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // The address it listens on (the port chosen when 0 was asked for).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  // Stops accepting and closes every connection (event streams included).
  void stop();

  struct Shared;  // what the connections share with the server

 private:
  void accept();
  std::shared_ptr<Shared> shared_;
};

void accept_next(const std::shared_ptr<HttpServer::Shared> &shared);

}  // namespace automuse::web
