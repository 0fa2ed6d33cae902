// host/oauth/flow_request.cpp — checking an authorisation request and making its wire texts.
#include "oauth/flow_request.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cstring>

#include "core/text.hpp"
#include "http/base64.hpp"
#include "oauth/pkce.hpp"

namespace automuse::oauth {
namespace json = boost::json;

namespace {

std::string str(am_str s) {
  return s.data ? std::string(s.data, s.len) : std::string();
}

bool is_http_url(const std::string &url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return false;
  return (u->scheme() == "http" || u->scheme() == "https") && u->has_authority() &&
         !u->host().empty() && !u->has_fragment();
}

// The OAuth parameters the service sets itself: a caller may not replace them.
bool reserved(const std::string &name) {
  static const char *kReserved[] = {
      "response_type", "client_id",      "redirect_uri",         "scope",
      "state",         "code_challenge", "code_challenge_method"};
  return std::any_of(std::begin(kReserved), std::end(kReserved),
                     [&](const char *r) { return name == r; });
}

std::string json_text(const json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A provider's words, kept short and on one line.
std::string tidy(std::string s) {
  for (char &c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() > 200) s = std::string(core::utf8_prefix(s, 200)) + "...";
  return s;
}

}  // namespace

std::string percent_encode(const std::string &s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

std::string from_c(const am_oauth_request &in, FlowRequest &out) {
  if (in.struct_size < offsetof(am_oauth_request, on_url))
    return "struct_size " + std::to_string(in.struct_size) +
           " is too small for an am_oauth_request";
  am_oauth_request c{};
  std::memcpy(&c, &in, std::min<size_t>(in.struct_size, sizeof c));
  out.label = str(c.label);
  if (out.label.empty()) out.label = "OAuth";
  out.authorize_url = str(c.authorize_url);
  out.token_url = str(c.token_url);
  out.client_id = str(c.client_id);
  out.client_secret = str(c.client_secret);
  if (!is_http_url(out.authorize_url))
    return "authorize_url: '" + out.authorize_url + "' is not an http(s) URL";
  if (!is_http_url(out.token_url))
    return "token_url: '" + out.token_url + "' is not an http(s) URL";
  if (out.client_id.empty()) return "client_id is empty";
  if (c.client_auth != AM_OAUTH_CLIENT_SECRET_POST && c.client_auth != AM_OAUTH_CLIENT_SECRET_BASIC)
    return "client_auth: unknown value " + std::to_string(c.client_auth);
  out.client_auth = c.client_auth;
  if (c.browser != AM_OAUTH_BROWSER_AUTO && c.browser != AM_OAUTH_BROWSER_NEVER)
    return "browser: unknown value " + std::to_string(c.browser);
  out.browser = c.browser;
  if (c.scope_count && !c.scopes)
    return "scopes is NULL but scope_count is " + std::to_string(c.scope_count);
  for (size_t i = 0; i < c.scope_count; ++i) {
    std::string s = str(c.scopes[i]);
    if (s.empty() || s.find_first_of(" \t\r\n\"\\") != std::string::npos)
      return "scopes[" + std::to_string(i) + "]: '" + s + "' is not a scope token";
    out.scopes.push_back(std::move(s));
  }
  if (c.param_count && !c.params)
    return "params is NULL but param_count is " + std::to_string(c.param_count);
  for (size_t i = 0; i < c.param_count; ++i) {
    std::string name = str(c.params[i].name);
    if (name.empty()) return "params[" + std::to_string(i) + "]: empty name";
    if (reserved(name))
      return "params[" + std::to_string(i) + "]: '" + name + "' is set by the service itself";
    out.params.emplace_back(std::move(name), str(c.params[i].value));
  }
  out.redirect_path = str(c.redirect_path);
  if (out.redirect_path == "/") out.redirect_path.clear();
  if (!out.redirect_path.empty() &&
      (out.redirect_path[0] != '/' ||
       out.redirect_path.find_first_of("?#% \t\r\n") != std::string::npos))
    return "redirect_path: '" + out.redirect_path + "' must be a plain path starting with '/'";
  if (c.port > 65535) return "port: " + std::to_string(c.port) + " is not a TCP port";
  out.port = static_cast<uint16_t>(c.port);
  if (c.timeout_ms) out.timeout = std::chrono::milliseconds(c.timeout_ms);
  out.on_url = c.on_url;
  return {};
}

std::string redirect_uri(const FlowRequest &r, uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port) + r.redirect_path;
}

std::string authorize_url(const FlowRequest &r, const std::string &redirect, const FlowSecrets &s) {
  std::string scope;
  for (const auto &x : r.scopes) scope += (scope.empty() ? "" : " ") + x;
  std::vector<std::pair<std::string, std::string>> q = {
      {"response_type", "code"}, {"client_id", r.client_id}, {"redirect_uri", redirect}};
  if (!scope.empty()) q.emplace_back("scope", scope);
  q.emplace_back("state", s.state);
  q.emplace_back("code_challenge", s.challenge);
  q.emplace_back("code_challenge_method", "S256");
  for (const auto &p : r.params) q.push_back(p);
  std::string url = r.authorize_url;
  char sep = url.find('?') == std::string::npos
                 ? '?'
                 : (url.back() == '?' || url.back() == '&' ? '\0' : '&');
  for (const auto &[k, v] : q) {
    if (sep) url += sep;
    url += percent_encode(k) + "=" + percent_encode(v);
    sep = '&';
  }
  return url;
}

TokenRequest token_request(const FlowRequest &r, const std::string &code,
                           const std::string &redirect, const std::string &verifier) {
  TokenRequest t;
  t.body = "grant_type=authorization_code&code=" + percent_encode(code) +
           "&redirect_uri=" + percent_encode(redirect) +
           "&code_verifier=" + percent_encode(verifier);
  t.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
               {"Accept", "application/json"}};
  if (!r.client_secret.empty() && r.client_auth == AM_OAUTH_CLIENT_SECRET_BASIC) {
    // RFC 6749 section 2.3.1: both parts form-encoded, then base64 of "id:secret".
    t.headers.emplace_back("Authorization",
                           "Basic " + http::base64_encode(percent_encode(r.client_id) + ":" +
                                                          percent_encode(r.client_secret)));
  } else {
    t.body += "&client_id=" + percent_encode(r.client_id);
    if (!r.client_secret.empty()) t.body += "&client_secret=" + percent_encode(r.client_secret);
  }
  return t;
}

TokenOutcome interpret_token_answer(const FlowRequest &r, int http_status,
                                    const std::string &body) {
  TokenOutcome out;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  const json::object *o = ec ? nullptr : v.if_object();
  if (http_status >= 200 && http_status < 300) {
    auto *at = o ? o->if_contains("access_token") : nullptr;
    if (!at || !at->is_string() || at->as_string().empty()) {
      out.status = AM_ERROR;
      out.message =
          r.label + ": the token endpoint (" + r.token_url + ") answered without an access_token";
      return out;
    }
    out.token_json = json::serialize(*o);
    for (const char *k : {"access_token", "refresh_token", "id_token"})
      if (std::string v = json_text(*o, k); !v.empty()) out.secrets.push_back(std::move(v));
    return out;
  }
  const std::string error = o ? json_text(*o, "error") : std::string();
  const std::string description = o ? tidy(json_text(*o, "error_description")) : std::string();
  const std::string detail = error + (description.empty() ? "" : ": " + description);
  if (error == "invalid_grant") {
    out.status = AM_UNAUTHENTICATED;
    out.message = r.label + ": the token endpoint refused the authorisation code (" + detail +
                  "); run the command again to authorise anew";
  } else if (error == "invalid_client" || error == "unauthorized_client" || http_status == 401) {
    out.status = AM_UNAUTHENTICATED;
    out.message = r.label + ": the token endpoint refused the client (" +
                  (detail.empty() ? "HTTP " + std::to_string(http_status) : detail) +
                  "); check the client_id and client_secret in automuse.json";
  } else {
    out.status = AM_ERROR;
    out.message = r.label + ": the token endpoint (" + r.token_url + ") answered HTTP " +
                  std::to_string(http_status) + (detail.empty() ? "" : " (" + detail + ")");
  }
  return out;
}

}  // namespace automuse::oauth
