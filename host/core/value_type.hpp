// host/core/value_type.hpp — the four value types a plugin may declare for its account fields
// and its action options ("string", "integer", "number", "boolean"), and which JSON values
// have each.
#pragma once

#include <boost/json.hpp>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace automuse::core {

enum class ValueType { kString, kInteger, kNumber, kBoolean };

inline std::string_view value_type_name(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kInteger:
      return "integer";
    case ValueType::kNumber:
      return "number";
    case ValueType::kBoolean:
      return "boolean";
  }
  return "string";
}

// "a string", "an integer", "a number", "a boolean": what messages say a value must be.
inline std::string a_value_of(ValueType type) {
  return (type == ValueType::kInteger ? "an " : "a ") + std::string(value_type_name(type));
}

// The type a declaration's "type" names; nullopt for anything else.
inline std::optional<ValueType> value_type_named(const boost::json::value &name) {
  if (!name.is_string()) return std::nullopt;
  for (ValueType t :
       {ValueType::kString, ValueType::kInteger, ValueType::kNumber, ValueType::kBoolean})
    if (name.get_string() == value_type_name(t)) return t;
  return std::nullopt;
}

// Whether `v` is a value of `type`; an integer may be written as a whole number (3.0).
inline bool has_type(ValueType type, const boost::json::value &v) {
  switch (type) {
    case ValueType::kString:
      return v.is_string();
    case ValueType::kInteger:
      return v.is_int64() || v.is_uint64() ||
             (v.is_double() && std::trunc(v.get_double()) == v.get_double());
    case ValueType::kNumber:
      return v.is_number();
    case ValueType::kBoolean:
      return v.is_bool();
  }
  return false;
}

}  // namespace automuse::core
