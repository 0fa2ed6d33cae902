// plugins/twitter/settings.hpp — what one run of the X plugin works with: the plugin's
// configuration section (API base URL, upload and wait limits) and the account it acts for.
#pragma once

#include <cstdint>
#include <string>

#include "config_fields.hpp"

namespace twitter {

// plugins.twitter in automuse.json; every value has a default.
struct PluginSettings {
  std::string api_base = "https://api.x.com";  // no trailing slash
  uint64_t media_segment_bytes = 4 * 1024 * 1024;
  int max_rate_limit_wait_secs = 900;  // longer 429 waits fail instead of blocking
  int max_status_polls = 120;
  int llm_rewrites = 2;  // re-asks with the measured length before cutting
  // The X app's OAuth 2 client, for refreshing tokens: an account's own client_id wins; with
  // a secret the app is a confidential client and authenticates with HTTP Basic.
  std::string client_id;
  std::string client_secret;
};

// Parses the section JSON; throws am::error(AM_INVALID_ARGUMENT) naming a bad field.
PluginSettings parse_settings(const std::string &section_json);

// The account an action or publication is for, from the action's args or the store.
struct Account : plugin_support::AccountName {
  std::string topic;
  std::string language = "English";
  std::string hashtags = "none";  // none | few
  std::string client_id;          // OAuth 2 app client id, for refreshing tokens
};

// From {"id", "nickname", "fields": {...}} (an args_json account or a store record).
Account parse_account(const std::string &account_json);

}  // namespace twitter
