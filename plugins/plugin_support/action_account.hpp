// plugins/plugin_support/action_account.hpp — which account an action runs for: the one given
// with --account, else (where the action allows it) the plugin's only account in the store.
// The account's record comes from automuse.store/1, so its fields are read like any stored
// account's.
#pragma once

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/host.hpp>
#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <string>

namespace plugin_support {

struct AccountChoice {
  // The chosen account's record as JSON text ({"id", "nickname", "fields", ...}), or nullopt
  // when none was given and the plugin has no account or several (`stored` says which).
  std::optional<std::string> account_json;
  size_t stored = 0;  // the plugin's accounts in the store, counted when none was given
};

// The stored record (JSON text) of the plugin's account `key` (its id or nickname), from
// automuse.store/1. Throws am::error with the store's status and "WHO: <the store's message>"
// (`who`: "TikTok account 'chef'").
std::string account_record(const am::host &host, const std::string &key, const std::string &who);

// `args` reads the action's call (automuse.args/1).
AccountChoice choose_account(const am::host &host, const am::args &args);

// The record of the account given with --account, for actions that must be told which (an
// `auth`); throws am::error(AM_INVALID_ARGUMENT, missing) when none was.
boost::json::object given_account(const am::host &host, const am::args &args,
                                  const std::string &missing);

}  // namespace plugin_support
