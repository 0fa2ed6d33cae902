// plugins/afm/json_field.hpp — reading optional string members of the JSON records afm gets
// (store records, Creators API answers, cached facts).
#pragma once

#include <boost/json.hpp>
#include <string>

namespace afm {

// The member `key` when it is a string, else "".
inline std::string string_member(const boost::json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace afm
