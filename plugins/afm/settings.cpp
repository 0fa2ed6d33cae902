// plugins/afm/settings.cpp — reading plugins.afm and afm account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>

#include "config_fields.hpp"

namespace afm {
namespace json = boost::json;

using plugin_json::int_field;
using plugin_json::string_field;
using plugin_json::url_field;

namespace {

constexpr const char *kWhere = "automuse.json: plugins.afm.";

}  // namespace

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  const json::object o = plugin_json::parse_object(section_json, "automuse.json: plugins.afm");
  s.creators_api_base = url_field(o, "creators_api_base", s.creators_api_base, kWhere);
  s.token_url_v3 = url_field(o, "token_url_v3", s.token_url_v3, kWhere);
  s.token_url_v2 = url_field(o, "token_url_v2", s.token_url_v2, kWhere);
  s.page_base = url_field(o, "page_base", s.page_base, kWhere);
  s.disclosure = string_field(o, "disclosure", s.disclosure, kWhere);
  s.llm_rewrites = static_cast<int>(int_field(o, "llm_rewrites", s.llm_rewrites, 0, 10, kWhere));
  s.max_throttle_wait_secs = static_cast<int>(
      int_field(o, "max_throttle_wait_secs", s.max_throttle_wait_secs, 0, 3600, kWhere));
  s.facts_ttl_secs = int_field(o, "facts_ttl_secs", s.facts_ttl_secs, 0, 30 * 24 * 3600, kWhere);
  s.max_pitch_length =
      static_cast<int>(int_field(o, "max_pitch_length", s.max_pitch_length, 50, 100000, kWhere));
  return s;
}

Account parse_account(const std::string &account_json) {
  const json::object o = plugin_json::parse_object(account_json, "afm account");
  Account a;
  a.id = string_field(o, "id", "", "afm account ");
  a.nickname = string_field(o, "nickname", a.id, "afm account ");
  const std::string prefix = "afm account '" + a.nickname + "': ";
  if (auto *f = o.if_contains("fields"); f && f->is_object()) {
    const auto &fields = f->as_object();
    a.partner_tag = string_field(fields, "partner_tag", "", prefix);
    a.marketplace = string_field(fields, "marketplace", a.marketplace, prefix);
    a.share_with = string_field(fields, "share_with", "", prefix);
    a.language = string_field(fields, "language", a.language, prefix);
    a.disclosure = string_field(fields, "disclosure", "", prefix);
    a.creators_credential_id = string_field(fields, "creators_credential_id", "", prefix);
    a.creators_version = string_field(fields, "creators_version", a.creators_version, prefix);
  }
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
