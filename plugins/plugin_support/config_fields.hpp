// plugins/plugin_support/config_fields.hpp — typed, checked fields of the JSON objects a plugin is
// configured with (its automuse.json section, account records): a missing or null field
// takes its default, a wrong one throws am::error(AM_INVALID_ARGUMENT) naming it.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace plugin_support {

// `text` as a JSON object; empty text is an empty object. Errors name the object by `what`
// ("plugins.afm is not JSON: ...", "plugins.afm is not an object").
boost::json::object parse_object(std::string_view text, std::string_view what);

// A plugin's automuse.json section (plugins.NAME), with the prefix its fields' errors carry.
struct ConfigSection {
  boost::json::object fields;
  std::string where;  // "automuse.json: plugins.NAME."
};

// `text` as the section of `plugin`; errors name it ("automuse.json: plugins.afm is not JSON").
ConfigSection parse_section(std::string_view text, std::string_view plugin);

// Who an account is: its id in the store and the nickname users call it by.
struct AccountName {
  std::string id;
  std::string nickname;  // the id when the record has none
};

// An account record ({"id", "nickname", "fields": {...}}, from the store or an action's
// --account), with the prefix its fields' errors carry.
struct AccountRecord : AccountName {
  boost::json::object fields;  // empty when the record has none
  std::string where;           // "LABEL account 'NICKNAME': "
};

// `label` names the plugin's accounts in errors: with "X", "X account is not JSON: ...",
// "X account id must be a string".
AccountRecord parse_account_record(std::string_view text, std::string_view label);

// In every reader below, `where` is put before the field's name in errors, so that they name
// the file, plugin or account: with "automuse.json: plugins.afm." an error reads
// "automuse.json: plugins.afm.disclosure must be a string"; with "afm account 'shop': ",
// "afm account 'shop': marketplace must be a string".

// A string field, or `fallback` when missing or null.
std::string string_field(const boost::json::object &o, std::string_view name, std::string fallback,
                         std::string_view where);

// A whole number in [min, max] (a fraction is cut), or `fallback` when missing or null.
int64_t int_field(const boost::json::object &o, std::string_view name, int64_t fallback,
                  int64_t min, int64_t max, std::string_view where);

// An http(s) URL without its trailing slashes, or `fallback` when missing or null. "" passes
// (an optional URL); a caller that needs one checks for it.
std::string url_field(const boost::json::object &o, std::string_view name, std::string fallback,
                      std::string_view where);

// A TCP port, 0-65535 (0: any free port), or `fallback` when missing or null.
uint32_t port_field(const boost::json::object &o, std::string_view name, uint32_t fallback,
                    std::string_view where);

}  // namespace plugin_support
