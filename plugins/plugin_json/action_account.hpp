// plugins/plugin_json/action_account.hpp — which account an action runs for: the one given
// with --account, else the plugin's only account in the store.
#pragma once

#include <automuse/cpp/host.hpp>
#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <string>

namespace plugin_json {

struct AccountChoice {
  // The chosen account's record as JSON text ({"id", "nickname", "fields"}), or nullopt when
  // none was given and the plugin has no account or several (`stored` says which).
  std::optional<std::string> account_json;
  size_t stored = 0;  // the plugin's accounts in the store, counted when none was given
};

// `args` is the action's args_json object.
AccountChoice choose_account(const am::host &host, const boost::json::object &args);

}  // namespace plugin_json
