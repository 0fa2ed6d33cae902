// host/log/redaction.cpp — see redaction.hpp.
#include "log/redaction.hpp"

#include <algorithm>
#include <mutex>
#include <regex>
#include <set>

#include "core/provider_settings.hpp"

extern char **environ;

namespace automuse::log {
namespace {

constexpr size_t kShortest = 6;

// Longer values first, so that a secret containing another is replaced whole.
struct LongerFirst {
  bool operator()(const std::string &a, const std::string &b) const {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  }
};

bool names_credential(std::string_view name) {
  for (std::string_view end : {"_API_KEY", "_KEY", "_TOKEN", "_SECRET", "_PASSWORD"})
    if (name.size() > end.size() && name.substr(name.size() - end.size()) == end) return true;
  return false;
}

struct Registry {
  std::mutex mutex;
  std::set<std::string, LongerFirst> secrets;

  // Keys that presets and plugins may read from the environment at any time are known
  // from the start.
  Registry() {
    for (char **e = environ; e && *e; ++e) {
      std::string_view entry(*e);
      const size_t eq = entry.find('=');
      if (eq != std::string_view::npos && names_credential(entry.substr(0, eq)) &&
          entry.size() - eq - 1 >= kShortest)
        secrets.emplace(entry.substr(eq + 1));
    }
  }
};

Registry &registry() {
  static Registry r;
  return r;
}

std::string replace_registered(std::string out) {
  auto &r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto &secret : r.secrets)
    for (size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
      out.replace(pos, secret.size(), "***");
  return out;
}

// Parameter names whose value is a credential in forms, query strings and OAuth 1.0a headers.
constexpr const char *kParams =
    "refresh_token|access_token|code|code_verifier|client_secret|client_assertion|id_token|"
    "oauth_token|oauth_token_secret|oauth_signature|oauth_verifier|x-amz-signature|"
    "x-amz-credential|x-amz-security-token|key|api_key|apikey|token|password";
// JSON keys holding credentials; `_?` accepts snake_case and camelCase alike (case ignored).
constexpr const char *kJsonKeys =
    "access_?token|refresh_?token|id_?token|client_?secret|api_?key|code_?verifier|"
    "oauth_?token(?:_?secret)?|oauth_?signature|session_?token|token|secret|password|"
    "authorization|cookie|set-cookie|x-api-key|x-goog-api-key|xi-api-key";
// Headers whose whole value is a credential. The value ends at the line's end or at a bare
// quote (inside a JSON string, escaped characters belong to it), so printed JSON stays JSON.
constexpr const char *kHeaders =
    "proxy-authorization|authorization|set-cookie|cookie|x-api-key|xi-api-key|x-goog-api-key|"
    "api-key";

std::regex icase(const std::string &pattern) {
  return std::regex(pattern, std::regex::ECMAScript | std::regex::icase);
}

std::string replace_shapes(std::string out) {
  // Compiled once; std::regex is safe for concurrent const use.
  static const std::regex header =
      icase(std::string(R"(\b((?:)") + kHeaders + R"()\s*:[ \t]*)(?:[^\r\n"\\]|\\.)+)");
  static const std::regex param = icase(std::string(R"((^|[?&\s"',;{(])((?:)") + kParams +
                                        R"()=)(\\?"[^"\\]*\\?"|[^&\s"',;\\]+))");
  static const std::regex json_field =
      icase(std::string(R"re(("(?:)re") + kJsonKeys + R"re()"\s*:\s*")(?:[^"\\]|\\.)*")re");
  static const std::regex escaped_json_field =
      icase(std::string(R"re((\\"(?:)re") + kJsonKeys + R"re()\\"\s*:\s*\\").*?\\")re");
  static const std::regex bearer(R"(\b(Bearer|Basic)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]+)");
  static const std::regex key_like(R"(\b(sk|pk|rk)-[A-Za-z0-9_-]{12,})");
  out = std::regex_replace(out, header, "$1***");
  out = std::regex_replace(out, escaped_json_field, "$1***\\\"");
  out = std::regex_replace(out, json_field, "$1***\"");
  out = std::regex_replace(out, param, "$1$2***");
  out = std::regex_replace(out, bearer, "$1 ***");
  out = std::regex_replace(out, key_like, "$1-***");
  return out;
}

// Provider settings tell the redactor each API key they read (from automuse.json or the
// environment). Set during static initialisation, before any setting can be read.
const bool kObservesProviderKeys = [] {
  core::ProviderSettings::on_key_read = [](const std::string &key) { add_secret(key); };
  return true;
}();

}  // namespace

void add_secret(std::string value) {
  if (value.size() < kShortest) return;
  auto &r = registry();
  std::lock_guard lock(r.mutex);
  r.secrets.insert(std::move(value));
}

std::string redact(std::string_view text) {
  return replace_shapes(replace_registered(std::string(text)));
}

}  // namespace automuse::log
