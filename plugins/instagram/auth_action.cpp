// plugins/instagram/auth_action.cpp — first login of an Instagram account (docs/protocols/
// instagram.md, "Instagram Login"). The app id is the account's `app_id`, the secret its
// secret `app_secret`; endpoints are overridable for tests: plugins.instagram.{authorize_url,
// oauth_token_url, graph_url, redirect_port, redirect_path}.
#include "auth_action.hpp"

#include <automuse/store.h>

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/http.hpp>
#include <automuse/cpp/oauth.hpp>
#include <boost/json.hpp>

#include "action_account.hpp"
#include "auth_steps.hpp"
#include "config_fields.hpp"
#include "graph_errors.hpp"
#include "json_members.hpp"
#include "settings.hpp"
#include "token_keeper.hpp"

namespace instagram {
namespace json = boost::json;
using plugin_support::string_member;

namespace {

const char *const kScopes[] = {"instagram_business_basic", "instagram_business_content_publish"};

std::string app_secret(const am::host &host, const Account &account) {
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer value;
  if (store.get_secret(host.get(), am::to_am_str(account.id),
                       am::to_am_str(std::string_view("app_secret")), value.out(),
                       nullptr) != AM_OK)
    return "";
  return value.str();
}

am::oauth_request login_request(const PluginSettings &s, const std::string &section_text,
                                const Account &account, const std::string &secret) {
  const auto section = plugin_support::parse_section(section_text, "instagram");
  am::oauth_request req;
  req.label = account.label();
  req.authorize_url = s.authorize_url;
  req.token_url = s.token_url;
  req.redirect_path =
      plugin_support::string_field(section.fields, "redirect_path", "/callback", section.where);
  plugin_support::apply_auth_endpoints(req, section);
  req.client_id = account.app_id;
  req.client_secret = secret;
  req.client_auth = AM_OAUTH_CLIENT_SECRET_POST;  // client_id and client_secret in the form
  req.scopes.assign(std::begin(kScopes), std::end(kScopes));
  req.scope_separator = ",";  // Instagram separates scopes by commas
  // PKCE (S256) is harmless where Instagram ignores it and right where it checks it.
  req.challenge = AM_OAUTH_CHALLENGE_S256;
  req.token_method = AM_OAUTH_TOKEN_POST_FORM;
  req.token_answer = AM_OAUTH_ANSWER_DATA_ARRAY;  // {"data":[{access_token,user_id,...}]}
  return req;
}

// The short-lived token out of the code exchange's answer: {"data":[{...}]} or the bare object.
json::object short_lived(const json::object &answer) {
  if (const json::value *data = answer.if_contains("data"); data && data->is_array())
    if (!data->as_array().empty() && data->as_array()[0].is_object())
      return data->as_array()[0].as_object();
  return answer;
}

// GET /access_token (ig_exchange_token): the long-lived token's answer.
am::task<json::object> long_lived(am::job job, PluginSettings s, Account account,
                                  std::string secret, std::string short_token) {
  am::http_request req(s.graph_url + "/access_token?grant_type=ig_exchange_token&client_secret=" +
                       secret + "&access_token=" + short_token);
  req.max_attempts = 3;
  am::http http(job);
  auto sending = http.send(std::move(req));
  am::http_response resp = co_await std::move(sending);
  json::error_code ec;
  json::value v = resp.ok() ? json::parse(resp.body, ec) : json::value();
  if (!v.is_object() || string_member(v.as_object(), "access_token").empty()) {
    const GraphError e = parse_graph_error(resp.body);
    throw am::error(AM_UNAUTHENTICATED,
                    account.label() + ": Instagram refused the long-lived token (" +
                        (resp.status != AM_OK ? resp.error
                                              : "HTTP " + std::to_string(resp.http_status) + ", " +
                                                    e.code_text() + ": " + e.message) +
                        "); check the account's app_secret and log in again");
  }
  co_return v.as_object();
}

Account checked_account(const am::job &job, const am::args &args, std::string &secret) {
  const Account account = parse_account(json::serialize(plugin_support::given_account(
      job.host_ref(), args,
      "choose the Instagram account to log in with --account (see `automuse-host accounts "
      "list --plugin instagram`)")));
  secret = app_secret(job.host_ref(), account);
  if (account.app_id.empty() || secret.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    account.label() +
                        " needs its Instagram app's id and secret: `automuse-host "
                        "accounts set " +
                        account.nickname +
                        " --plugin instagram --set app_id=... --set app_secret=...` "
                        "(docs/instagram.md says where to find them)");
  return account;
}

}  // namespace

am::task<std::string> auth_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  std::string secret;
  const Account account = checked_account(job, args, secret);
  const std::string text = am::plugin_section(job.host_ref());
  const PluginSettings settings = parse_settings(text);
  am::oauth_request req = login_request(settings, text, account, secret);
  plugin_support::apply_auth_options(req, args);

  auto call = plugin_support::authorize(job, std::move(req));
  const json::object answer = co_await std::move(call);
  const json::object first = short_lived(answer);
  const std::string permissions = string_member(first, "permissions");
  if (!permissions.empty() &&
      permissions.find("instagram_business_content_publish") == std::string::npos)
    throw am::error(AM_PERMISSION_DENIED,
                    account.label() +
                        ": the login did not grant content publishing "
                        "(instagram_business_content_publish); log in again and "
                        "allow it");
  auto exchanging =
      long_lived(job, settings, account, secret, string_member(first, "access_token"));
  const json::object lasting = co_await std::move(exchanging);
  const std::string record = token_record_json(
      string_member(lasting, "access_token"),
      plugin_support::int_member(lasting, "expires_in", kLongLivedSeconds), permissions);
  plugin_support::store_oauth_token(job.host_ref(),
                                    account.id.empty() ? account.nickname : account.id,
                                    json::parse(record).as_object(), account.label());
  job.log().info(account.label() + " is logged in; its long-lived token is stored");
  co_return json::serialize(json::object{{"account", account.nickname},
                                         {"provider", "instagram"},
                                         {"authorised", true},
                                         {"user_id", string_member(first, "user_id")},
                                         {"scope", permissions}});
}

}  // namespace instagram
