// plugins/plugin_support/action_account.cpp — --account (read through automuse.args/1), or the
// store's list of the plugin's accounts.
#include "action_account.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/str.hpp>

namespace plugin_support {
namespace json = boost::json;

std::string account_record(const am::host &host, const std::string &key, const std::string &who) {
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer out, error;
  am_status s = store.get_account(host.get(), am::to_am_str(key), out.out(), error.out());
  if (s != AM_OK) throw am::error(s, who + ": " + error.str());
  return out.str();
}

namespace {

// The stored record of the account the action was given (its id).
std::string stored_account(const am::host &host, const am::args &args) {
  return account_record(host, args.account_id(), "account '" + args.account_nickname() + "'");
}

}  // namespace

AccountChoice choose_account(const am::host &host, const am::args &args) {
  AccountChoice choice;
  if (args.has_account()) {
    choice.account_json = stored_account(host, args);
    return choice;
  }
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer out;
  if (store.list_accounts(host.get(), out.out(), nullptr) != AM_OK) return choice;
  json::value list = json::parse(out.view());
  if (!list.is_array()) return choice;
  choice.stored = list.as_array().size();
  if (choice.stored == 1) choice.account_json = json::serialize(list.as_array()[0]);
  return choice;
}

json::object given_account(const am::host &host, const am::args &args, const std::string &missing) {
  if (!args.has_account()) throw am::error(AM_INVALID_ARGUMENT, missing);
  json::value v = json::parse(stored_account(host, args));
  if (!v.is_object())
    throw am::error(AM_INTERNAL, "account '" + args.account_nickname() + "': not a JSON object");
  return std::move(v.as_object());
}

}  // namespace plugin_support
