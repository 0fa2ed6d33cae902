// plugins/afm/settings.cpp — reading plugins.afm and afm account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>
#include <stdexcept>

#include "amazon_url.hpp"
#include "config_fields.hpp"

namespace afm {

using plugin_support::int_field;
using plugin_support::string_field;
using plugin_support::url_field;

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  const auto [o, where] = plugin_support::parse_section(section_json, "afm");
  s.creators_api_base = url_field(o, "creators_api_base", s.creators_api_base, where);
  s.token_url_v3 = url_field(o, "token_url_v3", s.token_url_v3, where);
  s.token_url_v2 = url_field(o, "token_url_v2", s.token_url_v2, where);
  s.page_base = url_field(o, "page_base", s.page_base, where);
  s.disclosure = string_field(o, "disclosure", s.disclosure, where);
  s.llm_rewrites = static_cast<int>(int_field(o, "llm_rewrites", s.llm_rewrites, 0, 10, where));
  s.max_throttle_wait_secs = static_cast<int>(
      int_field(o, "max_throttle_wait_secs", s.max_throttle_wait_secs, 0, 3600, where));
  s.facts_ttl_secs = int_field(o, "facts_ttl_secs", s.facts_ttl_secs, 0, 30 * 24 * 3600, where);
  s.max_pitch_length =
      static_cast<int>(int_field(o, "max_pitch_length", s.max_pitch_length, 50, 100000, where));
  return s;
}

Account parse_account(const std::string &account_json) {
  const auto record = plugin_support::parse_account_record(account_json, "afm");
  const auto &fields = record.fields;
  const std::string &prefix = record.where;
  Account a;
  static_cast<plugin_support::AccountName &>(a) = record;
  a.partner_tag = string_field(fields, "partner_tag", "", prefix);
  a.marketplace = string_field(fields, "marketplace", a.marketplace, prefix);
  try {
    a.marketplace = marketplace_host(a.marketplace);  // its product pages are fetched
  } catch (const std::invalid_argument &e) {
    throw am::error(AM_INVALID_ARGUMENT, prefix + "marketplace: " + e.what());
  }
  a.share_with = string_field(fields, "share_with", "", prefix);
  a.language = string_field(fields, "language", a.language, prefix);
  a.disclosure = string_field(fields, "disclosure", "", prefix);
  a.creators_credential_id = string_field(fields, "creators_credential_id", "", prefix);
  a.creators_version = string_field(fields, "creators_version", a.creators_version, prefix);
  if (a.creators_version != "3.x" && a.creators_version != "2.x")
    throw am::error(AM_INVALID_ARGUMENT, prefix + "creators_version must be 3.x or 2.x, not '" +
                                             a.creators_version + "'");
  if (!a.share_with.empty()) parse_share_with(a.share_with, prefix + "share_with");
  return a;
}

ShareTarget parse_share_with(const std::string &text, const std::string &what) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw am::error(AM_INVALID_ARGUMENT,
                    what + " must be PLUGIN:ACCOUNT (e.g. twitter:main), not '" + text + "'");
  return {text.substr(0, colon), text.substr(colon + 1)};
}

}  // namespace afm
