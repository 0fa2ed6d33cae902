// Redaction of secrets for logs: see redact.hpp.
#include "http/redact.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cctype>
#include <vector>

namespace automuse::http {
namespace {

constexpr std::string_view kRedacted = "REDACTED";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_secret_param(std::string_view key) {
  static constexpr std::array<std::string_view, 14> kNames = {"key",
                                                              "api_key",
                                                              "apikey",
                                                              "api-key",
                                                              "access_token",
                                                              "refresh_token",
                                                              "token",
                                                              "secret",
                                                              "signature",
                                                              "sig",
                                                              "password",
                                                              "client_secret",
                                                              "x-amz-signature",
                                                              "x-amz-security-token"};
  std::string k = lower(key);
  return std::find(kNames.begin(), kNames.end(), k) != kNames.end() || ends_with(k, "_token") ||
         ends_with(k, "_key") || ends_with(k, "_secret");
}

}  // namespace

bool is_secret_header(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kNames = {
      "authorization", "proxy-authorization", "cookie",  "set-cookie",   "x-api-key",
      "xi-api-key",    "x-goog-api-key",      "api-key", "x-auth-token", "x-amz-security-token"};
  std::string n = lower(name);
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end() || ends_with(n, "-token") ||
         ends_with(n, "-secret") || ends_with(n, "-api-key");
}

std::string redact_header(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ": ";
  out += is_secret_header(name) ? std::string(kRedacted) : redact_text(value);
  return out;
}

std::string redact_url(std::string_view url) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return "<unparsable url>";  // never echo something we could not inspect
  boost::urls::url u = *parsed;
  if (u.has_password()) u.set_password(kRedacted);
  if (u.has_query()) {
    std::vector<boost::urls::param> params;
    for (auto p : u.params()) {
      boost::urls::param copy(p);
      if (is_secret_param(copy.key)) copy.value = kRedacted;
      params.push_back(std::move(copy));
    }
    u.params().assign(params.begin(), params.end());
  }
  return std::string(u.buffer());
}

std::string redact_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    bool matched = false;
    for (std::string_view scheme : {std::string_view("bearer "), std::string_view("basic ")}) {
      if (text.size() - i >= scheme.size() && lower(text.substr(i, scheme.size())) == scheme) {
        out.append(text.substr(i, scheme.size()));
        out += kRedacted;
        i += scheme.size();
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) &&
               text[i] != '"' && text[i] != ',')
          ++i;
        matched = true;
        break;
      }
    }
    if (!matched) out += text[i++];
  }
  return out;
}

}  // namespace automuse::http
