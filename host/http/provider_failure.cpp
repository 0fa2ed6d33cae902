// host/http/provider_failure.cpp — reading providers' error bodies (see provider_failure.hpp).
#include "http/provider_failure.hpp"

#include <boost/json.hpp>

namespace automuse::http {

namespace json = boost::json;

namespace {

std::string string_at(const json::object &o, const char *key) {
  const json::value *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The provider's message and machine-readable code, when the body has them.
std::pair<std::string, std::string> message_and_code(const std::string &body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const json::object &o = v.as_object();
  if (const json::value *e = o.if_contains("error")) {
    if (e->is_object())
      return {string_at(e->as_object(), "message"), string_at(e->as_object(), "code")};
    if (e->is_string()) return {std::string(e->get_string()), {}};
  }
  if (const json::value *d = o.if_contains("detail")) {
    if (d->is_string()) return {std::string(d->get_string()), {}};
    if (d->is_object())
      return {string_at(d->as_object(), "message"), string_at(d->as_object(), "status")};
  }
  return {};
}

}  // namespace

std::pair<am_status, std::string> provider_failure(const std::string &provider,
                                                   const Response &response) {
  if (response.status != AM_OK) return {response.status, provider + ": " + response.error};
  auto [message, code] = message_and_code(response.body);
  if (message.empty()) message = response.body.substr(0, 200);
  const bool quota = code == "insufficient_quota" || code == "quota_exceeded";
  return {status_of_http_error(response.http_status, quota),
          provider + ": HTTP " + std::to_string(response.http_status) + ": " + message};
}

}  // namespace automuse::http
