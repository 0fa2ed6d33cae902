// plugins/instagram/settings.cpp — reading the plugin's configuration and account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>

namespace instagram {
using plugin_support::int_field;
using plugin_support::string_field;
using plugin_support::url_field;

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  const auto [o, where] = plugin_support::parse_section(section_json, "instagram");
  s.graph_url = url_field(o, "graph_url", s.graph_url, where);
  s.authorize_url = url_field(o, "authorize_url", s.authorize_url, where);
  s.token_url = url_field(o, "oauth_token_url", s.token_url, where);
  if (s.graph_url.empty() || s.authorize_url.empty() || s.token_url.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    where + "graph_url, authorize_url and oauth_token_url must be http(s) URLs");
  s.api_version = string_field(o, "api_version", s.api_version, where);
  if (s.api_version.size() < 4 || s.api_version[0] != 'v' ||
      s.api_version.find('.') == std::string::npos)
    throw am::error(AM_INVALID_ARGUMENT,
                    where + "api_version must look like v25.0, not '" + s.api_version + "'");
  s.poll_interval_ms =
      static_cast<int>(int_field(o, "poll_interval_ms", s.poll_interval_ms, 1, 600000, where));
  s.max_status_polls =
      static_cast<int>(int_field(o, "max_status_polls", s.max_status_polls, 1, 100000, where));
  s.retry_wait_ms =
      static_cast<int>(int_field(o, "retry_wait_ms", s.retry_wait_ms, 0, 600000, where));
  s.max_rate_limit_wait_secs = static_cast<int>(
      int_field(o, "max_rate_limit_wait_secs", s.max_rate_limit_wait_secs, 0, 24 * 3600, where));
  s.max_containers =
      static_cast<int>(int_field(o, "max_containers", s.max_containers, 1, 10, where));
  return s;
}

namespace {

UploadMode upload_mode(const std::string &text, const std::string &where) {
  if (text.empty() || text == "auto") return UploadMode::automatic;
  if (text == "resumable") return UploadMode::resumable;
  if (text == "video_url") return UploadMode::video_url;
  throw am::error(AM_INVALID_ARGUMENT,
                  where + "upload must be auto, resumable or video_url, not '" + text + "'");
}

bool bool_field(const boost::json::object &o, const char *name, bool fallback,
                const std::string &where) {
  const auto *v = o.if_contains(name);
  if (!v || v->is_null()) return fallback;
  if (!v->is_bool()) throw am::error(AM_INVALID_ARGUMENT, where + name + " must be true or false");
  return v->as_bool();
}

}  // namespace

Account parse_account(const std::string &account_json) {
  const auto record = plugin_support::parse_account_record(account_json, "Instagram");
  Account a;
  static_cast<plugin_support::AccountName &>(a) = record;
  a.app_id = string_field(record.fields, "app_id", "", record.where);
  a.publish_folder = string_field(record.fields, "publish_folder", "", record.where);
  a.public_url_prefix = url_field(record.fields, "public_url_prefix", "", record.where);
  a.upload = upload_mode(string_field(record.fields, "upload", "auto", record.where), record.where);
  a.share_to_feed = bool_field(record.fields, "share_to_feed", true, record.where);
  if (a.publish_folder.empty() != a.public_url_prefix.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    record.where +
                        "publish_folder and public_url_prefix go together: set both "
                        "(the folder you publish and the URL it is served at) or "
                        "neither");
  if (a.upload == UploadMode::video_url && !a.can_use_video_url())
    throw am::error(AM_INVALID_ARGUMENT,
                    record.where +
                        "upload is video_url but publish_folder and public_url_prefix "
                        "are not set");
  return a;
}

}  // namespace instagram
