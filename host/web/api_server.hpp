// host/web/api_server.hpp — the REST API under /api/v1 on the HTTP server: the checks every
// request passes before its route runs (the Host header, the token or a signed URL, the
// lock-out of clients that keep failing), the routes of every resource, the login exchange,
// and the answers' errors as JSON. A request's method, path (never its query, which may hold a
// signature) and status are logged; tokens and signatures never are. The dashboard page's
// static files (web/static_files.hpp) are answered beside the API, without a token.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "web/api_context.hpp"
#include "web/credentials.hpp"
#include "web/http_server.hpp"
#include "web/login_throttle.hpp"
#include "web/router.hpp"

namespace automuse::web {

struct ApiOptions {
  boost::asio::ip::tcp::endpoint listen{boost::asio::ip::make_address("127.0.0.1"), 8787};
  std::vector<std::string> allowed_hosts;  // names besides IP literals and localhost
  ServerLimits limits;
};

class ApiServer {
 public:
  // Binds the address (throws std::runtime_error naming it) and adds every route.
  ApiServer(ApiContext &api, ApiOptions options, Credentials credentials);
  void start() { server_.start(); }
  void stop() { server_.stop(); }

  uint16_t port() const { return server_.local_endpoint().port(); }
  // "http://HOST:PORT/login#code=…": the page trades the one-time code for the token.
  std::string login_link() const;
  const Router &router() const { return router_; }

 private:
  Reply handle(Request &request, const std::string &client);
  Reply route(Request &request, const std::string &client);
  // The credentials check of a route; an error answer when the client may not call it.
  std::optional<Response> refuse(const Route &route, const RouteContext &c);
  void add_login_route();

  ApiContext &api_;
  ApiOptions options_;
  Credentials credentials_;
  std::string login_code_;  // one use; empty once used
  LoginThrottle throttle_;
  Router router_;
  HttpServer server_;
};

// The OpenAPI document of the API (host/web/openapi.json, embedded at build time).
std::string_view openapi_document();

}  // namespace automuse::web
