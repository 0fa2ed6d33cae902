// plugins/tiktok/settings.cpp — reading plugins.tiktok and the account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>

#include "chunk_plan.hpp"

namespace tiktok {
using plugin_support::int_field;
using plugin_support::string_field;

namespace {

bool bool_field(const boost::json::object &o, const char *name, bool fallback,
                const std::string &where) {
  auto *v = o.if_contains(name);
  if (!v || v->is_null()) return fallback;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string() && (v->as_string() == "true" || v->as_string() == "false"))
    return v->as_string() == "true";
  throw am::error(AM_INVALID_ARGUMENT, where + name + " must be true or false");
}

}  // namespace

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  const auto [o, where] = plugin_support::parse_section(section_json, "tiktok");
  s.api_base = plugin_support::url_field(o, "api_base", s.api_base, where);
  if (s.api_base.empty())
    throw am::error(AM_INVALID_ARGUMENT, where + "api_base must be an http(s) URL");
  s.token_url = string_field(o, "token_url", "", where);  // kept as given: TikTok's ends in "/"
  s.client_key = string_field(o, "client_key", "", where);
  s.client_secret = string_field(o, "client_secret", "", where);
  s.chunk_size = static_cast<uint64_t>(
      int_field(o, "chunk_size", static_cast<int64_t>(s.chunk_size), kMinChunk, kMaxChunk, where));
  s.poll_interval_ms =
      static_cast<int>(int_field(o, "poll_interval_ms", s.poll_interval_ms, 1, 600000, where));
  s.max_status_polls =
      static_cast<int>(int_field(o, "max_status_polls", s.max_status_polls, 1, 100000, where));
  s.refresh_margin_secs =
      static_cast<int>(int_field(o, "refresh_margin_secs", s.refresh_margin_secs, 0, 86400, where));
  return s;
}

std::string token_url(const PluginSettings &s) {
  return s.token_url.empty() ? s.api_base + "/v2/oauth/token/" : s.token_url;
}

Account parse_account(const std::string &account_json) {
  const auto record = plugin_support::parse_account_record(account_json, "TikTok");
  Account a;
  static_cast<plugin_support::AccountName &>(a) = record;
  a.client_key = string_field(record.fields, "client_key", "", record.where);
  a.privacy_level = string_field(record.fields, "privacy_level", a.privacy_level, record.where);
  a.is_aigc = bool_field(record.fields, "is_aigc", a.is_aigc, record.where);
  a.draft = bool_field(record.fields, "draft", a.draft, record.where);
  return a;
}

}  // namespace tiktok
