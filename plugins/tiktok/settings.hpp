// plugins/tiktok/settings.hpp — what one run of the TikTok plugin works with: its automuse.json
// section (plugins.tiktok: endpoints, chunk size, polling) and the account it posts as (the
// TikTok app's client key, the post's defaults).
#pragma once

#include <cstdint>
#include <string>

#include "config_fields.hpp"

namespace tiktok {

// plugins.tiktok in automuse.json; every value has a default. The endpoints are overridable so
// tests can point the plugin at a fake.
struct PluginSettings {
  std::string api_base = "https://open.tiktokapis.com";  // no trailing slash
  std::string token_url;                                 // "": api_base + /v2/oauth/token/
  std::string client_key, client_secret;  // the app's, when an account has none of its own
  uint64_t chunk_size = 10'000'000;
  int poll_interval_ms = 5000;
  int max_status_polls = 120;
  int refresh_margin_secs = 300;  // refresh an access token this long before it expires
};

// Parses the section JSON; throws am::error(AM_INVALID_ARGUMENT) naming a bad field.
PluginSettings parse_settings(const std::string &section_json);

// The token endpoint the settings name.
std::string token_url(const PluginSettings &s);

// The account a post or an authorisation is for, from the store or the action's --account.
struct Account : plugin_support::AccountName {
  std::string client_key;              // the TikTok app's client key ("" = plugins.tiktok's)
  std::string privacy_level = "auto";  // auto, PUBLIC_TO_EVERYONE, FOLLOWER_OF_CREATOR, ...
  bool is_aigc = true;                 // label posts as AI-generated
  bool draft = false;                  // inbox upload: the user finishes the post in the app
  std::string label() const { return "TikTok account '" + nickname + "'"; }
};

// From {"id", "nickname", "fields": {...}}; throws am::error naming a bad field.
Account parse_account(const std::string &account_json);

}  // namespace tiktok
