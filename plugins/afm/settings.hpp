// plugins/afm/settings.hpp — what one run of the affiliate plugin works with: its
// configuration section (plugins.afm: endpoints, disclosure, limits) and the afm account it
// acts for (partner tag, marketplace, where to share, Creators API credentials).
#pragma once

#include <cstdint>
#include <string>

#include "config_fields.hpp"

namespace afm {

// plugins.afm in automuse.json; every value has a default.
struct PluginSettings {
  std::string creators_api_base = "https://creatorsapi.amazon";
  std::string token_url_v3 = "https://api.amazon.com/auth/o2/token";
  std::string token_url_v2 = "https://creatorsapi.auth.us-east-1.amazoncognito.com/oauth2/token";
  std::string page_base;           // empty: https://MARKETPLACE (tests point it at a fake)
  std::string disclosure = "#ad";  // appended to every pitch; affiliate rules require one
  int llm_rewrites = 2;            // re-asks (too long, invented price) before giving up
  int max_throttle_wait_secs = 120;
  int64_t facts_ttl_secs = 24 * 3600;  // product facts are cached this long
  int max_pitch_length = 500;          // for publishers without a length limit of their own
};

// Parses the section JSON; throws am::error(AM_INVALID_ARGUMENT) naming a bad field.
PluginSettings parse_settings(const std::string &section_json);

// An afm account (fields from the store; the credential secret is read separately).
struct Account : plugin_support::AccountName {
  std::string partner_tag;
  std::string marketplace = "www.amazon.com";
  std::string share_with;  // "twitter:ACCOUNT"
  std::string language = "English";
  std::string disclosure;                // empty: the plugin's
  std::string creators_credential_id;    // Creators API client id
  std::string creators_version = "3.x";  // "3.x" (Login with Amazon) or "2.x" (Cognito)
};

// From {"id", "nickname", "fields": {...}}. Throws am::error(AM_INVALID_ARGUMENT).
Account parse_account(const std::string &account_json);

// "twitter:cook" -> {"twitter", "cook"}. Throws am::error(AM_INVALID_ARGUMENT) naming `what`.
struct ShareTarget {
  std::string plugin, account;
};
ShareTarget parse_share_with(const std::string &text, const std::string &what);

}  // namespace afm
