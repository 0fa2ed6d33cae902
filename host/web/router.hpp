// host/web/router.hpp — the API's routes: a method and a path pattern ("/api/v1/jobs/{id}"),
// who may call it, and its handler. Matching works on the path's decoded segments, so an
// encoded slash ("..%2F..") stays inside one segment and never becomes a path; the handlers
// check every parameter they use (web/api_ids.hpp). A path no route has is 404; a known path
// with another method is 405 with the allowed methods.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "web/http_message.hpp"

namespace automuse::web {

enum class Access {
  open,       // no credentials (the login exchange, whose attempts are throttled)
  token,      // Authorization: Bearer TOKEN
  signature,  // the token, or a signed URL (web/url_signer.hpp): media and event streams
};

struct RouteContext {
  Request &request;
  std::string client;                         // the client's address
  std::map<std::string, std::string> params;  // {name} segments of the pattern
  std::map<std::string, std::string> query;   // decoded query parameters
  std::string path;                           // the decoded path
};

using RouteFn = std::function<Reply(RouteContext &)>;

struct Route {
  http::verb method;
  std::string pattern;
  Access access;
  RouteFn handler;
  std::vector<std::string> segments;  // the pattern split at '/'
};

class Router {
 public:
  void add(http::verb method, const std::string &pattern, Access access, RouteFn handler);

  struct Match {
    const Route *route = nullptr;               // the route, or null
    std::map<std::string, std::string> params;  // its parameters
    std::string allowed;                        // no route for the method: those of the path
  };
  Match match(http::verb method, const std::vector<std::string> &segments) const;
  const std::vector<Route> &routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace automuse::web
