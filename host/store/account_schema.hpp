// A plugin's declared account fields, and the validation of an account against them.
//
// The schema is JSON (the plugin hands it over as text through the ABI):
//
//   {"fields": [
//     {"name": "niche",    "type": "string",  "required": true, "description": "…"},
//     {"name": "privacy",  "type": "string",  "enum": ["public", "private", "unlisted"],
//      "default": "private"},
//     {"name": "per_day",  "type": "integer", "minimum": 1, "maximum": 50},
//     {"name": "shorts",   "type": "boolean"},
//     {"name": "api_key",  "type": "string",  "required": true, "secret": true}
//   ]}
//
// The same array may come as "account_fields" inside a plugin's describe() document, or bare;
// "help" is accepted for "description". type is one of string, integer, number, boolean. required
// defaults to false. enum lists the allowed values. minimum/maximum bound integer and number
// fields. A "secret" field is kept in the secrets table, never in the account's fields, and never
// printed. A field not in the schema is refused (a typo would otherwise silently do nothing).
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value_type.hpp"

namespace automuse::store {

using FieldType = core::ValueType;

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kString;
  bool required = false;
  bool secret = false;
  std::vector<boost::json::value> allowed;  // empty: any value of the type
  std::optional<boost::json::value> default_value;
  std::optional<double> minimum, maximum;
  std::string description;
};

class AccountSchema {
 public:
  // Parses a plugin's schema. Throws StoreError naming the plugin and the JSON path of the
  // first problem ("youtube: account schema $.fields[1].type: unknown type 'str'").
  static AccountSchema parse(std::string_view json_text, std::string_view plugin_id);

  const std::string &plugin_id() const { return plugin_id_; }
  const std::vector<FieldSpec> &fields() const { return fields_; }
  const FieldSpec *find(std::string_view name) const;

  // Converts command-line text ("--set per_day=3") into the field's JSON type.
  // `account` names the account in the error message.
  boost::json::value coerce(std::string_view account, std::string_view field,
                            std::string_view text) const;

  // Fills in defaults for missing optional fields, then checks every rule. Throws StoreError
  // naming the account and the field ("account 'cooking' (youtube): field 'privacy' must be
  // one of public, private, unlisted; got \"secret\"").
  void validate(std::string_view account, boost::json::object &fields) const;

  // Moves the values of secret fields out of `fields` into the returned map.
  std::map<std::string, std::string> take_secrets(boost::json::object &fields) const;

 private:
  std::string plugin_id_;
  std::vector<FieldSpec> fields_;
};

}  // namespace automuse::store
