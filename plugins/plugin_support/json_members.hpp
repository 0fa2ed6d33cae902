// plugins/plugin_support/json_members.hpp — lenient reads of the JSON a plugin is handed at run
// time (store records, services' and token endpoints' answers): a member of another type counts as
// missing, because the host or the remote side owns that shape. An action's options and
// account are read through automuse.args/1 (automuse/cpp/args.hpp) instead.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace plugin_support {

// The member `key` when it is a string, else "".
std::string string_member(const boost::json::object &o, std::string_view key);

// The member `key` when it is a number (as a whole number), else `fallback`.
int64_t int_member(const boost::json::object &o, std::string_view key, int64_t fallback);

}  // namespace plugin_support
