// plugins/plugin_json/action_account.cpp — --account, or the store's list of the plugin's
// accounts.
#include "action_account.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>

namespace plugin_json {
namespace json = boost::json;

AccountChoice choose_account(const am::host &host, const json::object &args) {
  AccountChoice choice;
  if (auto *a = args.if_contains("account"); a && a->is_object()) {
    choice.account_json = json::serialize(*a);
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

json::object given_account(const json::object &args, const std::string &missing) {
  const json::value *account = args.if_contains("account");
  if (!account || !account->is_object()) throw am::error(AM_INVALID_ARGUMENT, missing);
  return account->as_object();
}

}  // namespace plugin_json
