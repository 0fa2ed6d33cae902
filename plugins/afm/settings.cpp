// plugins/afm/settings.cpp — reading plugins.afm and afm account records.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>

namespace afm {
namespace json = boost::json;

namespace {

std::string string_field(const json::object &o, const char *name, std::string fallback,
                         const std::string &prefix) {
  auto *v = o.if_contains(name);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) throw am::error(AM_INVALID_ARGUMENT, prefix + name + " is not a string");
  return std::string(v->as_string());
}

int64_t int_field(const json::object &o, const char *name, int64_t fallback, int64_t min,
                  int64_t max) {
  auto *v = o.if_contains(name);
  if (!v || v->is_null()) return fallback;
  int64_t n = 0;
  if (v->is_int64())
    n = v->as_int64();
  else if (v->is_uint64())
    n = static_cast<int64_t>(v->as_uint64());
  else if (v->is_double())
    n = static_cast<int64_t>(v->as_double());
  else
    throw am::error(AM_INVALID_ARGUMENT, std::string("plugins.afm.") + name + " is not a number");
  if (n < min || n > max)
    throw am::error(AM_INVALID_ARGUMENT, std::string("plugins.afm.") + name + " must be in " +
                                             std::to_string(min) + ".." + std::to_string(max));
  return n;
}

std::string url_field(const json::object &o, const char *name, std::string fallback) {
  std::string s = string_field(o, name, std::move(fallback), "plugins.afm.");
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (!s.empty() && s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0)
    throw am::error(AM_INVALID_ARGUMENT,
                    std::string("plugins.afm.") + name + " must be an http(s) URL");
  return s;
}

}  // namespace

PluginSettings parse_settings(const std::string &section_json) {
  PluginSettings s;
  if (section_json.empty()) return s;
  json::error_code ec;
  json::value v = json::parse(section_json, ec);
  if (ec) throw am::error(AM_INVALID_ARGUMENT, "plugins.afm is not JSON: " + ec.message());
  if (!v.is_object()) throw am::error(AM_INVALID_ARGUMENT, "plugins.afm is not an object");
  const auto &o = v.as_object();
  s.creators_api_base = url_field(o, "creators_api_base", s.creators_api_base);
  s.token_url_v3 = url_field(o, "token_url_v3", s.token_url_v3);
  s.token_url_v2 = url_field(o, "token_url_v2", s.token_url_v2);
  s.page_base = url_field(o, "page_base", s.page_base);
  s.disclosure = string_field(o, "disclosure", s.disclosure, "plugins.afm.");
  s.llm_rewrites = static_cast<int>(int_field(o, "llm_rewrites", s.llm_rewrites, 0, 10));
  s.max_throttle_wait_secs =
      static_cast<int>(int_field(o, "max_throttle_wait_secs", s.max_throttle_wait_secs, 0, 3600));
  s.facts_ttl_secs = int_field(o, "facts_ttl_secs", s.facts_ttl_secs, 0, 30 * 24 * 3600);
  s.max_pitch_length =
      static_cast<int>(int_field(o, "max_pitch_length", s.max_pitch_length, 50, 100000));
  return s;
}

Account parse_account(const std::string &account_json) {
  json::error_code ec;
  json::value v = json::parse(account_json, ec);
  if (ec || !v.is_object()) throw am::error(AM_INVALID_ARGUMENT, "afm account is not JSON");
  const auto &o = v.as_object();
  Account a;
  a.id = string_field(o, "id", "", "account ");
  a.nickname = string_field(o, "nickname", a.id, "account ");
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
