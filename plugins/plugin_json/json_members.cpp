// plugins/plugin_json/json_members.cpp — lenient member and action-option reads.
#include "json_members.hpp"

namespace plugin_json {
namespace json = boost::json;

namespace {

const json::value *option_value(const json::object &args, std::string_view name) {
  const json::value *options = args.if_contains("options");
  return options && options->is_object() ? options->as_object().if_contains(name) : nullptr;
}

}  // namespace

std::string string_member(const json::object &o, std::string_view key) {
  const json::value *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t int_member(const json::object &o, std::string_view key, int64_t fallback) {
  const json::value *v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<int64_t>() : fallback;
}

std::string option_text(const json::object &args, std::string_view name) {
  const json::value *v = option_value(args, name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string option_or_flag(const json::object &args, std::string_view name) {
  const json::value *v = option_value(args, name);
  if (v && v->is_bool()) return v->as_bool() ? "true" : "";
  return option_text(args, name);
}

bool has_option(const json::object &args, std::string_view name) {
  return option_value(args, name) != nullptr;
}

}  // namespace plugin_json
