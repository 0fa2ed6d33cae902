// plugins/twitter/settings.cpp — reading the plugin's configuration and account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>

#include "config_fields.hpp"

namespace twitter {
namespace json = boost::json;
using plugin_json::int_field;
using plugin_json::string_field;

namespace {

constexpr const char *kWhere = "automuse.json: plugins.twitter.";

}  // namespace

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  const json::object o = plugin_json::parse_object(section_json, "automuse.json: plugins.twitter");
  s.api_base = plugin_json::url_field(o, "api_base", s.api_base, kWhere);
  if (s.api_base.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "automuse.json: plugins.twitter.api_base must be an http(s) URL");
  s.media_segment_bytes = static_cast<uint64_t>(
      int_field(o, "media_segment_bytes", static_cast<int64_t>(s.media_segment_bytes), 1024,
                5 << 20, kWhere));
  s.max_rate_limit_wait_secs = static_cast<int>(
      int_field(o, "max_rate_limit_wait_secs", s.max_rate_limit_wait_secs, 0, 24 * 3600, kWhere));
  s.max_status_polls =
      static_cast<int>(int_field(o, "max_status_polls", s.max_status_polls, 1, 10000, kWhere));
  s.llm_rewrites = static_cast<int>(int_field(o, "llm_rewrites", s.llm_rewrites, 0, 10, kWhere));
  s.client_id = string_field(o, "client_id", "", kWhere);
  s.client_secret = string_field(o, "client_secret", "", kWhere);
  return s;
}

Account parse_account(const std::string &account_json) {
  const json::object o = plugin_json::parse_object(account_json, "X account");
  Account a;
  a.id = string_field(o, "id", "", "X account ");
  a.nickname = string_field(o, "nickname", a.id, "X account ");
  if (auto *f = o.if_contains("fields"); f && f->is_object()) {
    const auto &fields = f->as_object();
    const std::string where = "X account '" + a.nickname + "': ";
    a.topic = string_field(fields, "topic", "", where);
    a.language = string_field(fields, "language", a.language, where);
    a.hashtags = string_field(fields, "hashtags", a.hashtags, where);
    a.client_id = string_field(fields, "client_id", "", where);
  }
  return a;
}

}  // namespace twitter
