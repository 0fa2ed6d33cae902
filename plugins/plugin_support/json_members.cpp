// plugins/plugin_support/json_members.cpp — lenient member reads.
#include "json_members.hpp"

namespace plugin_support {
namespace json = boost::json;

std::string string_member(const json::object &o, std::string_view key) {
  const json::value *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t int_member(const json::object &o, std::string_view key, int64_t fallback) {
  const json::value *v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<int64_t>() : fallback;
}

}  // namespace plugin_support
