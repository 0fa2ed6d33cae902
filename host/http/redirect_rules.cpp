// The host's redirect rules: see redirect_rules.hpp.
#include "http/redirect_rules.hpp"

#include <algorithm>
#include <array>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "http/redact.hpp"

namespace automuse::http {
namespace urls = boost::urls;
using boost::algorithm::iequals;
using boost::algorithm::istarts_with;

namespace {

struct Origin {
  std::string scheme, host;
  uint16_t port = 0;
  bool operator==(const Origin &) const = default;
};

std::optional<Origin> origin_of(std::string_view url) {
  auto parsed = urls::parse_uri(url);
  if (!parsed || !parsed->has_authority()) return std::nullopt;
  Origin o;
  o.scheme = parsed->scheme();
  o.host = parsed->encoded_host();
  for (std::string *s : {&o.scheme, &o.host})
    std::transform(s->begin(), s->end(), s->begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  o.port = parsed->has_port()    ? parsed->port_number()
           : o.scheme == "https" ? 443
           : o.scheme == "http"  ? 80
                                 : 0;
  return o;
}

// Headers that describe a body: gone with the body.
bool describes_body(std::string_view name) {
  // Every Content-* header is about the representation sent (RFC 9110 §8).
  return istarts_with(name, "content-") || iequals(name, "transfer-encoding") ||
         iequals(name, "expect");
}

bool is_marked_secret(const Request &r, std::string_view name) {
  return is_secret_header(name) || iequals(name, "host") ||
         std::any_of(r.secret_headers.begin(), r.secret_headers.end(),
                     [&](const std::string &s) { return iequals(s, name); });
}

RedirectStep refuse(am_status status, std::string error) {
  return RedirectStep{std::nullopt, status, std::move(error)};
}

}  // namespace

bool is_followed_redirect(long http_status) {
  return http_status == 301 || http_status == 302 || http_status == 303 || http_status == 307 ||
         http_status == 308;
}

bool same_origin(std::string_view a, std::string_view b) {
  auto oa = origin_of(a), ob = origin_of(b);
  return oa && ob && *oa == *ob;
}

RedirectStep follow_redirect(const Request &from, long http_status, std::string_view location) {
  const std::string code = std::to_string(http_status);
  const std::string what = "HTTP " + code + " from " + redact_url(from.url);
  auto ref = urls::parse_uri_reference(location);
  auto base = urls::parse_uri(from.url);
  urls::url target;
  if (!ref || !base || urls::resolve(*base, *ref, target).has_error())
    return refuse(AM_ERROR,
                  what + " redirects to an unreadable Location '" + redact_url(location) + "'");
  Request next = from;
  next.url = std::string(target.buffer());
  const std::string to = redact_url(next.url);
  auto from_origin = origin_of(from.url), to_origin = origin_of(next.url);
  if (!to_origin || (to_origin->scheme != "http" && to_origin->scheme != "https"))
    return refuse(AM_PERMISSION_DENIED,
                  what + " redirects to " + to + ", which is not an http(s) URL: not followed");
  if (from_origin && from_origin->scheme == "https" && to_origin->scheme == "http")
    return refuse(AM_PERMISSION_DENIED,
                  what + " redirects to " + to + ": refusing to go from https to plain http");
  const bool cross_origin = !from_origin || !(*from_origin == *to_origin);
  const bool has_body = !from.body.empty() || !from.body_file.empty();

  if (http_status == 307 || http_status == 308) {
    if (cross_origin && has_body)
      return refuse(AM_PERMISSION_DENIED, what + " redirects the " + from.method +
                                              " to another origin (" + to +
                                              "): its body is not sent there");
  } else {
    if (next.method != "HEAD") next.method = "GET";
    next.body.clear();
    next.body_file.clear();
    std::erase_if(next.headers, [](const Header &h) { return describes_body(h.name); });
  }
  if (cross_origin)
    std::erase_if(next.headers, [&](const Header &h) { return is_marked_secret(from, h.name); });
  return RedirectStep{std::move(next), AM_OK, {}};
}

}  // namespace automuse::http
