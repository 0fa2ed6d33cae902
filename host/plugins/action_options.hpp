// host/plugins/action_options.hpp — an action's options as its plugin's describe() declares them
// (plugin.h: name, type, required, default, enum, minimum, maximum, help), the check of those
// declarations when the plugin is loaded, and the command line of one call turned into the
// typed "options" and "args" of its args_json. Whatever the user gets wrong is refused here,
// before the plugin runs, naming the plugin, the action and the option.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value_type.hpp"

namespace automuse::plugins {

using OptionType = core::ValueType;

struct OptionSpec {
  std::string name;  // without the leading "--"
  OptionType type = OptionType::kString;
  bool required = false;
  std::optional<boost::json::value> default_value;
  std::vector<boost::json::value> allowed;  // empty: any value of the type
  std::optional<double> minimum, maximum;
  std::string help;
};

// A value as messages show it: JSON, with numbers as people write them (0.5, not 5E-1).
std::string shown(const boost::json::value &v);

// The host's own options (AM_RESERVED_OPTIONS): no plugin declares them, none reaches a plugin.
bool is_reserved_option(std::string_view name);
// "--account, --accounts, --set, ..." for messages.
std::string reserved_options_text();

// The declared options of `action` in a describe() document. Throws std::invalid_argument
// naming the plugin, the action and the bad declaration.
std::vector<OptionSpec> option_specs(std::string_view plugin,
                                     const boost::json::object &description,
                                     std::string_view action);

// Checks the option declarations of every action (at load time). Throws like option_specs.
void check_option_declarations(std::string_view plugin, const boost::json::object &description);

// The option values and positional arguments of one call, from `--set name=value` and the
// words after the action (`--name value`, `--name=value`, `--flag`, positionals; after a bare
// `--` every word is positional). Values are typed by `specs`, defaults filled in, every rule
// checked. Host options found among them are left out with a warning in the log. Throws
// std::invalid_argument "PLUGIN ACTION: option --NAME ..." for anything not declared or not
// fitting its declaration.
struct ActionArguments {
  boost::json::object options;
  boost::json::array args;
};
ActionArguments parse_action_arguments(std::string_view plugin, std::string_view action,
                                       const std::vector<OptionSpec> &specs,
                                       const std::vector<std::string> &sets,
                                       const std::vector<std::string> &words);

}  // namespace automuse::plugins
