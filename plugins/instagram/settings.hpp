// plugins/instagram/settings.hpp — what one run of the Instagram plugin works with: the plugin's
// configuration section (the hosts it talks to, how often and how long it polls) and the
// account it publishes for (its Instagram app, and the folder it may hand to Instagram by URL).
#pragma once

#include <cstdint>
#include <string>

#include "config_fields.hpp"

namespace instagram {

// plugins.instagram in automuse.json; every value has a default. The URLs are overridable so
// tests point them at the fake (docs/protocols/instagram.md).
struct PluginSettings {
  std::string graph_url = "https://graph.instagram.com";  // no trailing slash, no version
  std::string api_version = "v25.0";
  std::string authorize_url = "https://www.instagram.com/oauth/authorize";
  std::string token_url = "https://api.instagram.com/oauth/access_token";
  int poll_interval_ms = 5000;         // between two reads of a container's status
  int max_status_polls = 180;          // 15 minutes at the default interval
  int retry_wait_ms = 30000;           // before retrying after "media builder expired" or a 5xx
  int max_rate_limit_wait_secs = 300;  // longer waits fail instead of blocking
  int max_containers = 3;              // containers tried for one publication
};

// Parses the section JSON; throws am::error(AM_INVALID_ARGUMENT) naming a bad field.
PluginSettings parse_settings(const std::string &section_json);

// How the bytes reach Instagram.
enum class UploadMode {
  automatic,  // resumable upload; when Instagram refuses it for this login, video_url
  resumable,  // upload_type=resumable to rupload only
  video_url   // copy into publish_folder, give Instagram public_url_prefix + name
};

// The account a publication is for, from the action's args or the store.
struct Account : plugin_support::AccountName {
  std::string app_id;             // the Instagram app's id (client_id of Instagram Login)
  std::string publish_folder;     // a folder the user serves at public_url_prefix
  std::string public_url_prefix;  // http(s) URL of that folder, no trailing slash
  UploadMode upload = UploadMode::automatic;
  bool share_to_feed = true;

  bool can_use_video_url() const { return !publish_folder.empty() && !public_url_prefix.empty(); }
  // "Instagram account 'NICK'", for messages.
  std::string label() const { return "Instagram account '" + nickname + "'"; }
};

// From {"id", "nickname", "fields": {...}} (an args_json account or a store record). Throws
// am::error(AM_INVALID_ARGUMENT) naming the account and the field.
Account parse_account(const std::string &account_json);

}  // namespace instagram
