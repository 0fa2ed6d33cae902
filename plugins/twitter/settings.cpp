// plugins/twitter/settings.cpp — reading the plugin's configuration and account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>

#include "config_fields.hpp"

namespace twitter {
using plugin_support::int_field;
using plugin_support::string_field;

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  const auto [o, where] = plugin_support::parse_section(section_json, "twitter");
  s.api_base = plugin_support::url_field(o, "api_base", s.api_base, where);
  if (s.api_base.empty())
    throw am::error(AM_INVALID_ARGUMENT, where + "api_base must be an http(s) URL");
  s.media_segment_bytes = static_cast<uint64_t>(int_field(
      o, "media_segment_bytes", static_cast<int64_t>(s.media_segment_bytes), 1024, 5 << 20, where));
  s.max_rate_limit_wait_secs = static_cast<int>(
      int_field(o, "max_rate_limit_wait_secs", s.max_rate_limit_wait_secs, 0, 24 * 3600, where));
  s.max_status_polls =
      static_cast<int>(int_field(o, "max_status_polls", s.max_status_polls, 1, 10000, where));
  s.llm_rewrites = static_cast<int>(int_field(o, "llm_rewrites", s.llm_rewrites, 0, 10, where));
  s.client_id = string_field(o, "client_id", "", where);
  s.client_secret = string_field(o, "client_secret", "", where);
  return s;
}

Account parse_account(const std::string &account_json) {
  const auto record = plugin_support::parse_account_record(account_json, "X");
  Account a;
  static_cast<plugin_support::AccountName &>(a) = record;
  a.topic = string_field(record.fields, "topic", "", record.where);
  a.language = string_field(record.fields, "language", a.language, record.where);
  a.hashtags = string_field(record.fields, "hashtags", a.hashtags, record.where);
  a.client_id = string_field(record.fields, "client_id", "", record.where);
  return a;
}

}  // namespace twitter
