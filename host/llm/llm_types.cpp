// host/llm/llm_types.cpp — JSON forms of the LLM service's value types.
#include "llm/llm_types.hpp"

#include <boost/json.hpp>

namespace automuse::llm {

namespace json = boost::json;

std::string ChatResult::to_json() const {
  json::object usage_obj{{"prompt_tokens", usage.prompt_tokens},
                         {"completion_tokens", usage.completion_tokens},
                         {"total_tokens", usage.prompt_tokens + usage.completion_tokens},
                         {"estimated", !usage.reported}};
  json::object o{
      {"content", content}, {"finish_reason", finish_reason}, {"provider", provider},
      {"model", model},     {"usage", std::move(usage_obj)},  {"from_cache", from_cache}};
  if (json) o["json"] = *json;
  return json::serialize(o);
}

std::vector<Message> messages_from_json(std::string_view text) {
  json::value v;
  try {
    v = json::parse(text);
  } catch (const std::exception &e) {
    throw am::error(AM_INVALID_ARGUMENT,
                    std::string("messages: not valid JSON (") + e.what() + ")");
  }
  if (!v.is_array() || v.as_array().empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "messages: expected a non-empty array of {\"role\", \"content\"} objects");
  std::vector<Message> out;
  size_t i = 0;
  for (const json::value &m : v.as_array()) {
    std::string where = "messages[" + std::to_string(i++) + "]";
    const json::object *o = m.if_object();
    if (!o) throw am::error(AM_INVALID_ARGUMENT, where + ": expected an object");
    const json::value *role = o->if_contains("role");
    const json::value *content = o->if_contains("content");
    if (!role || !role->is_string())
      throw am::error(AM_INVALID_ARGUMENT, where + ".role: expected a string");
    if (!content || !content->is_string())
      throw am::error(AM_INVALID_ARGUMENT, where + ".content: expected a string");
    std::string r(role->as_string());
    if (r != "system" && r != "user" && r != "assistant")
      throw am::error(
          AM_INVALID_ARGUMENT,
          where + ".role: must be \"system\", \"user\" or \"assistant\", not \"" + r + "\"");
    out.push_back({std::move(r), std::string(content->as_string())});
  }
  return out;
}

json::array messages_to_json(const std::vector<Message> &messages) {
  json::array a;
  for (const Message &m : messages)
    a.push_back(json::object{{"role", m.role}, {"content", m.content}});
  return a;
}

}  // namespace automuse::llm
