// plugins/twitter/settings.cpp — reading the plugin's configuration and account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>

namespace twitter {
namespace json = boost::json;

namespace {

std::string string_field(const json::object &o, const char *name, std::string fallback) {
  auto *v = o.if_contains(name);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) throw am::error(AM_INVALID_ARGUMENT, std::string(name) + " is not a string");
  return std::string(v->as_string());
}

int64_t int_field(const json::object &o, const char *name, int64_t fallback, int64_t min,
                  int64_t max) {
  auto *v = o.if_contains(name);
  if (!v || v->is_null()) return fallback;
  int64_t n = 0;
  if (v->is_int64())
    n = v->as_int64();
  else if (v->is_uint64())
    n = static_cast<int64_t>(v->as_uint64());
  else if (v->is_double())
    n = static_cast<int64_t>(v->as_double());
  else
    throw am::error(AM_INVALID_ARGUMENT,
                    std::string("plugins.twitter.") + name + " is not a number");
  if (n < min || n > max)
    throw am::error(AM_INVALID_ARGUMENT, std::string("plugins.twitter.") + name + " must be in " +
                                             std::to_string(min) + ".." + std::to_string(max));
  return n;
}

}  // namespace

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  if (section_json.empty()) return s;
  json::value v;
  try {
    v = json::parse(section_json);
  } catch (const std::exception &e) {
    throw am::error(AM_INVALID_ARGUMENT, std::string("plugins.twitter is not JSON: ") + e.what());
  }
  if (!v.is_object()) throw am::error(AM_INVALID_ARGUMENT, "plugins.twitter is not an object");
  const auto &o = v.as_object();
  s.api_base = string_field(o, "api_base", s.api_base);
  while (!s.api_base.empty() && s.api_base.back() == '/') s.api_base.pop_back();
  if (s.api_base.rfind("http://", 0) != 0 && s.api_base.rfind("https://", 0) != 0)
    throw am::error(AM_INVALID_ARGUMENT, "plugins.twitter.api_base must be an http(s) URL");
  s.media_segment_bytes = static_cast<uint64_t>(int_field(
      o, "media_segment_bytes", static_cast<int64_t>(s.media_segment_bytes), 1024, 5 << 20));
  s.max_rate_limit_wait_secs = static_cast<int>(
      int_field(o, "max_rate_limit_wait_secs", s.max_rate_limit_wait_secs, 0, 24 * 3600));
  s.max_status_polls =
      static_cast<int>(int_field(o, "max_status_polls", s.max_status_polls, 1, 10000));
  s.llm_rewrites = static_cast<int>(int_field(o, "llm_rewrites", s.llm_rewrites, 0, 10));
  s.client_id = string_field(o, "client_id", "");
  s.client_secret = string_field(o, "client_secret", "");
  return s;
}

Account parse_account(const std::string &account_json) {
  json::value v = json::parse(account_json);
  const auto &o = v.as_object();
  Account a;
  a.id = string_field(o, "id", "");
  a.nickname = string_field(o, "nickname", a.id);
  if (auto *f = o.if_contains("fields"); f && f->is_object()) {
    const auto &fields = f->as_object();
    a.topic = string_field(fields, "topic", "");
    a.language = string_field(fields, "language", a.language);
    a.hashtags = string_field(fields, "hashtags", a.hashtags);
    a.client_id = string_field(fields, "client_id", "");
  }
  return a;
}

}  // namespace twitter
