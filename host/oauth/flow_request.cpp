// host/oauth/flow_request.cpp — checking an authorisation request and making its wire texts.
#include "oauth/flow_request.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cctype>
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

bool unreserved_token(const std::string &s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
           c == '~';
  });
}

// The 1.7 fields, read only when the caller's struct has them; each checked by name.
std::string read_dialect(const am_oauth_request &in, FlowRequest &out) {
  if (AM_HAS_FIELD(&in, am_oauth_request, client_id_name) && in.client_id_name.len) {
    std::string name = str(in.client_id_name);
    if (!unreserved_token(name) || (name != "client_id" && reserved(name)))
      return "client_id_name: '" + name + "' is not a parameter name the service can use";
    out.client_id_name = std::move(name);
  }
  if (AM_HAS_FIELD(&in, am_oauth_request, scope_separator) && in.scope_separator.len) {
    std::string sep = str(in.scope_separator);
    if (sep.size() > 3 || std::any_of(sep.begin(), sep.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
        }))
      return "scope_separator: '" + sep + "' is not a separator (1 to 3 printable characters)";
    out.scope_separator = std::move(sep);
  }
  if (AM_HAS_FIELD(&in, am_oauth_request, challenge)) {
    if (in.challenge < AM_OAUTH_CHALLENGE_S256 || in.challenge > AM_OAUTH_CHALLENGE_NONE)
      return "challenge: unknown value " + std::to_string(in.challenge);
    out.challenge = in.challenge;
  }
  if (AM_HAS_FIELD(&in, am_oauth_request, token_method)) {
    if (in.token_method != AM_OAUTH_TOKEN_POST_FORM && in.token_method != AM_OAUTH_TOKEN_GET_QUERY)
      return "token_method: unknown value " + std::to_string(in.token_method);
    out.token_method = in.token_method;
  }
  if (AM_HAS_FIELD(&in, am_oauth_request, token_answer)) {
    if (in.token_answer != AM_OAUTH_ANSWER_OBJECT && in.token_answer != AM_OAUTH_ANSWER_DATA_ARRAY)
      return "token_answer: unknown value " + std::to_string(in.token_answer);
    out.token_answer = in.token_answer;
  }
  return {};
}

// Scopes and extra parameters, after the dialect (the separator and the client's name).
std::string read_lists(const am_oauth_request &c, FlowRequest &out) {
  if (c.scope_count && !c.scopes)
    return "scopes is NULL but scope_count is " + std::to_string(c.scope_count);
  for (size_t i = 0; i < c.scope_count; ++i) {
    std::string s = str(c.scopes[i]);
    if (s.empty() || s.find_first_of(" \t\r\n\"\\") != std::string::npos)
      return "scopes[" + std::to_string(i) + "]: '" + s + "' is not a scope token";
    if (s.find(out.scope_separator) != std::string::npos)
      return "scopes[" + std::to_string(i) + "]: '" + s + "' contains the scope_separator '" +
             out.scope_separator + "'";
    out.scopes.push_back(std::move(s));
  }
  if (c.param_count && !c.params)
    return "params is NULL but param_count is " + std::to_string(c.param_count);
  for (size_t i = 0; i < c.param_count; ++i) {
    std::string name = str(c.params[i].name);
    if (name.empty()) return "params[" + std::to_string(i) + "]: empty name";
    if (reserved(name) || name == out.client_id_name)
      return "params[" + std::to_string(i) + "]: '" + name + "' is set by the service itself";
    out.params.emplace_back(std::move(name), str(c.params[i].value));
  }
  return {};
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

// A token endpoint's refusal in whichever shape it came: `kind` is RFC 6749's error code
// (or Instagram's error_type), `detail` what to show.
struct TokenError {
  std::string kind;
  std::string detail;
  bool instagram = false;
};

std::string number_text(const json::value *v) {
  if (!v) return {};
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  if (v->is_string()) return std::string(v->as_string());
  return {};
}

TokenError token_error(const json::object &o) {
  TokenError e;
  if (auto *graph = o.if_contains("error"); graph && graph->is_object()) {
    // Graph's envelope: {"error": {"message", "type", "code"}}.
    const auto &g = graph->as_object();
    e.kind = json_text(g, "type");
    const std::string code = number_text(g.if_contains("code"));
    e.detail = e.kind + (code.empty() ? "" : " " + code) + ": " + tidy(json_text(g, "message"));
    e.instagram = true;
  } else if (std::string type = json_text(o, "error_type"); !type.empty()) {
    // Instagram's login host: {"error_type", "code", "error_message"}.
    const std::string code = number_text(o.if_contains("code"));
    const std::string message = tidy(json_text(o, "error_message"));
    e.kind = type;
    e.detail = type + (code.empty() ? "" : " " + code) + (message.empty() ? "" : ": " + message);
    e.instagram = true;
  } else if (std::string error = json_text(o, "error"); !error.empty()) {
    const std::string description = tidy(json_text(o, "error_description"));
    e.kind = error;
    e.detail = error + (description.empty() ? "" : ": " + description);
  }
  return e;
}

// {"data": [{...}]} -> the first element; anything else stays as it is.
const json::object *unwrap_data(const json::object &o) {
  auto *data = o.if_contains("data");
  if (!data || !data->is_array() || data->as_array().empty()) return &o;
  const auto *first = data->as_array().front().if_object();
  return first ? first : &o;
}

void explain_refusal(const FlowRequest &r, int http_status, const TokenError &e,
                     TokenOutcome &out) {
  const std::string status = "HTTP " + std::to_string(http_status);
  if (e.kind == "invalid_grant") {
    out.status = AM_UNAUTHENTICATED;
    out.message = r.label + ": the token endpoint refused the authorisation code (" + e.detail +
                  "); run the command again to authorise anew";
  } else if (e.kind == "invalid_client" || e.kind == "unauthorized_client" ||
             (e.kind.empty() && http_status == 401)) {
    out.status = AM_UNAUTHENTICATED;
    out.message = r.label + ": the token endpoint refused the client (" +
                  (e.detail.empty() ? status : e.detail) +
                  "); check the client_id and client_secret in automuse.json";
  } else if (e.instagram && e.kind == "OAuthException") {
    // Instagram says which in words only: a used or unknown code, or a wrong app or secret.
    out.status = AM_UNAUTHENTICATED;
    out.message = r.label + ": the token endpoint refused the exchange (" + e.detail +
                  "); run the command again to authorise anew, and if it is refused again "
                  "check the app id and secret in automuse.json";
  } else {
    out.status = AM_ERROR;
    out.message = r.label + ": the token endpoint (" + r.token_url + ") answered " + status +
                  (e.detail.empty() ? "" : " (" + e.detail + ")");
  }
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
  if (std::string problem = read_dialect(in, out); !problem.empty()) return problem;
  if (std::string problem = read_lists(c, out); !problem.empty()) return problem;
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

std::string challenge_for(const FlowRequest &r, std::string_view verifier) {
  switch (r.challenge) {
    case AM_OAUTH_CHALLENGE_S256_HEX:
      return s256_hex_challenge(verifier);
    case AM_OAUTH_CHALLENGE_NONE:
      return {};
    default:
      return s256_challenge(verifier);
  }
}

std::string redirect_uri(const FlowRequest &r, uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port) + r.redirect_path;
}

std::string authorize_url(const FlowRequest &r, const std::string &redirect, const FlowSecrets &s) {
  std::string scope;
  for (const auto &x : r.scopes) scope += (scope.empty() ? "" : r.scope_separator) + x;
  std::vector<std::pair<std::string, std::string>> q = {
      {"response_type", "code"}, {r.client_id_name, r.client_id}, {"redirect_uri", redirect}};
  if (!scope.empty()) q.emplace_back("scope", scope);
  q.emplace_back("state", s.state);
  if (r.challenge != AM_OAUTH_CHALLENGE_NONE) {
    q.emplace_back("code_challenge", s.challenge);
    q.emplace_back("code_challenge_method", "S256");
  }
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
  t.url = r.token_url;
  t.body = "grant_type=authorization_code&code=" + percent_encode(code) +
           "&redirect_uri=" + percent_encode(redirect);
  if (r.challenge != AM_OAUTH_CHALLENGE_NONE)
    t.body += "&code_verifier=" + percent_encode(verifier);
  const bool get = r.token_method == AM_OAUTH_TOKEN_GET_QUERY;
  if (!get) t.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  t.headers.emplace_back("Accept", "application/json");
  if (!r.client_secret.empty() && r.client_auth == AM_OAUTH_CLIENT_SECRET_BASIC) {
    // RFC 6749 section 2.3.1: both parts form-encoded, then base64 of "id:secret".
    t.headers.emplace_back("Authorization",
                           "Basic " + http::base64_encode(percent_encode(r.client_id) + ":" +
                                                          percent_encode(r.client_secret)));
  } else {
    t.body += "&" + percent_encode(r.client_id_name) + "=" + percent_encode(r.client_id);
    if (!r.client_secret.empty()) t.body += "&client_secret=" + percent_encode(r.client_secret);
  }
  if (get) {
    t.method = "GET";
    const bool has_query = t.url.find('?') != std::string::npos;
    if (!has_query)
      t.url += '?';
    else if (t.url.back() != '?' && t.url.back() != '&')
      t.url += '&';
    t.url += t.body;
    t.body.clear();
  }
  return t;
}

TokenOutcome interpret_token_answer(const FlowRequest &r, int http_status,
                                    const std::string &body) {
  TokenOutcome out;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  const json::object *o = ec ? nullptr : v.if_object();
  if (o && r.token_answer == AM_OAUTH_ANSWER_DATA_ARRAY) o = unwrap_data(*o);
  auto *at = o ? o->if_contains("access_token") : nullptr;
  const bool has_token = at && at->is_string() && !at->as_string().empty();
  const TokenError error = o ? token_error(*o) : TokenError{};
  if (http_status >= 200 && http_status < 300 && has_token) {
    out.token_json = json::serialize(*o);
    for (const char *k : {"access_token", "refresh_token", "id_token"})
      if (std::string t = json_text(*o, k); !t.empty()) out.secrets.push_back(std::move(t));
    return out;
  }
  if (http_status >= 200 && http_status < 300 && error.detail.empty()) {
    out.status = AM_ERROR;
    out.message =
        r.label + ": the token endpoint (" + r.token_url + ") answered without an access_token";
    return out;
  }
  explain_refusal(r, http_status, error, out);
  return out;
}

}  // namespace automuse::oauth
