// host/web/router.cpp — pattern matching over decoded path segments.
#include "web/router.hpp"

namespace automuse::web {
namespace {

std::vector<std::string> split(const std::string &pattern) {
  std::vector<std::string> out;
  size_t at = 1;  // after the leading '/'
  while (at <= pattern.size()) {
    size_t slash = pattern.find('/', at);
    if (slash == std::string::npos) slash = pattern.size();
    out.push_back(pattern.substr(at, slash - at));
    at = slash + 1;
  }
  return out;
}

bool is_param(const std::string &s) {
  return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

bool matches(const Route &r, const std::vector<std::string> &segments,
             std::map<std::string, std::string> &params) {
  if (r.segments.size() != segments.size()) return false;
  params.clear();
  for (size_t i = 0; i < segments.size(); ++i) {
    if (is_param(r.segments[i])) {
      if (segments[i].empty()) return false;
      params[r.segments[i].substr(1, r.segments[i].size() - 2)] = segments[i];
    } else if (r.segments[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(http::verb method, const std::string &pattern, Access access, RouteFn handler) {
  routes_.push_back(Route{method, pattern, access, std::move(handler), split(pattern)});
}

Router::Match Router::match(http::verb method, const std::vector<std::string> &segments) const {
  Match m;
  std::map<std::string, std::string> params;
  for (const Route &r : routes_) {
    if (!matches(r, segments, params)) continue;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      m.allowed.clear();
      return m;
    }
    m.allowed += (m.allowed.empty() ? "" : ", ") + std::string(http::to_string(r.method));
  }
  return m;
}

}  // namespace automuse::web
