// plugins/plugin_json/json_members.hpp — lenient reads of the JSON a plugin is handed at run time
// (an action's args_json, store records, services' and token endpoints' answers): a member of
// another type counts as missing, because the host or the remote side owns that shape.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace plugin_json {

// The member `key` when it is a string, else "".
std::string string_member(const boost::json::object &o, std::string_view key);

// The member `key` when it is a number (as a whole number), else `fallback`.
int64_t int_member(const boost::json::object &o, std::string_view key, int64_t fallback);

// An action's option (args_json's "options"), given as `--name value` or `--set name=value`:
// its text, or "" when absent or not text.
std::string option_text(const boost::json::object &args, std::string_view name);

// Like option_text, but a bare `--name` reads "true": for flags, and for options whose missing
// value must reach the code that reports it (`--port` alone is refused, not ignored).
std::string option_or_flag(const boost::json::object &args, std::string_view name);

// Whether the action was given `--name`, with or without a value.
bool has_option(const boost::json::object &args, std::string_view name);

}  // namespace plugin_json
