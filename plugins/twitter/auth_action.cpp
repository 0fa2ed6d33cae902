// plugins/twitter/auth_action.cpp — first authorisation of an X account with OAuth 2.0 and
// PKCE (PROTOCOLS.md, "OAuth 2.0 with PKCE") through the host's automuse.oauth/1. The client
// id is the account's `client_id` field (the one x_api.cpp refreshes with) or
// plugins.twitter.client_id; a confidential client's secret (plugins.twitter.client_secret)
// goes in HTTP Basic auth, as X wants. The tokens are stored with one set_oauth_token call
// (one transaction) in the shape x_api.cpp reads: X's refresh tokens are single use, so the
// pair is durable before anything uses it. Endpoints are overridable for tests:
// plugins.twitter.{authorize_url, oauth_token_url, redirect_port, redirect_path}.
#include "auth_action.hpp"

#include <automuse/config.h>
#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/oauth.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "settings.hpp"

namespace twitter {
namespace json = boost::json;

namespace {

constexpr const char *kAuthorizeUrl = "https://x.com/i/oauth2/authorize";
const char *const kScopes[] = {"tweet.read", "tweet.write", "users.read", "offline.access",
                               "media.write"};

struct AuthSettings {
  std::string client_id, client_secret;
  std::string authorize_url = kAuthorizeUrl;
  std::string token_url;  // default: api_base + /2/oauth2/token
  std::string redirect_path = "/callback";
  uint32_t port = 0;
};

std::string string_setting(const json::object &o, const char *key, std::string fallback) {
  auto *x = o.if_contains(key);
  if (!x || x->is_null()) return fallback;
  if (!x->is_string())
    throw am::error(AM_INVALID_ARGUMENT,
                    std::string("automuse.json: plugins.twitter.") + key + " must be a string");
  return std::string(x->as_string());
}

AuthSettings read_settings(const am::host &host) {
  std::string text;
  if (const auto *config = host.find<am_config>(AM_CONFIG_SERVICE_ID)) {
    am::buffer section;
    if (config->plugin_section(host.get(), section.out()) == AM_OK) text = section.str();
  }
  const PluginSettings plugin = parse_settings(text);  // api_base, checked
  AuthSettings s;
  s.token_url = plugin.api_base + "/2/oauth2/token";
  boost::system::error_code ec;
  json::value v = json::parse(text.empty() ? "{}" : text, ec);
  if (ec || !v.is_object()) return s;
  const json::object &o = v.as_object();
  s.client_id = string_setting(o, "client_id", "");
  s.client_secret = string_setting(o, "client_secret", "");
  s.authorize_url = string_setting(o, "authorize_url", s.authorize_url);
  s.token_url = string_setting(o, "oauth_token_url", s.token_url);
  s.redirect_path = string_setting(o, "redirect_path", s.redirect_path);
  if (auto *x = o.if_contains("redirect_port"); x && !x->is_null()) {
    double port = x->is_number() ? x->to_number<double>() : -1;
    if (port < 0 || port > 65535 || port != static_cast<uint32_t>(port))
      throw am::error(AM_INVALID_ARGUMENT,
                      "automuse.json: plugins.twitter.redirect_port must be a port number "
                      "(0-65535)");
    s.port = static_cast<uint32_t>(port);
  }
  return s;
}

// An option given as `--name value`, `--name` or `--set name=value`.
std::string option(const json::object &args, const char *name) {
  auto *o = args.if_contains("options");
  auto *v = o && o->is_object() ? o->as_object().if_contains(name) : nullptr;
  if (!v) return "";
  if (v->is_bool()) return v->as_bool() ? "true" : "";
  if (v->is_string()) return std::string(v->as_string());
  return "";
}

std::string text_field(const json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

am::task<std::string> auth_action(am::job job, am::action_request request) {
  json::value args_value = json::parse(request.args_json);
  const json::object &args = args_value.as_object();
  const json::value *account_json = args.if_contains("account");
  if (!account_json || !account_json->is_object())
    throw am::error(AM_INVALID_ARGUMENT,
                    "choose the X account to authorise with --account (see `automuse-host "
                    "accounts list --plugin twitter`)");
  const Account account = parse_account(json::serialize(*account_json));

  AuthSettings settings = read_settings(job.host_ref());
  const std::string client_id = account.client_id.empty() ? settings.client_id : account.client_id;
  if (client_id.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "X account '" + account.nickname +
                        "' has no client_id: set the OAuth 2.0 client id of your X app with "
                        "`automuse-host accounts set " +
                        account.nickname +
                        " --plugin twitter --set client_id=...` (or plugins.twitter.client_id)");

  am::oauth_request req;
  req.label = "X account '" + account.nickname + "'";
  req.authorize_url = settings.authorize_url;
  req.token_url = settings.token_url;
  req.client_id = client_id;
  req.client_secret = settings.client_secret;  // empty for a public client
  req.client_auth = AM_OAUTH_CLIENT_SECRET_BASIC;
  req.scopes.assign(std::begin(kScopes), std::end(kScopes));
  req.redirect_path = settings.redirect_path;
  req.port = settings.port;
  am::apply_auth_options(req, option(args, "no-browser"), option(args, "port"),
                         option(args, "timeout"));

  am::oauth oauth(job);
  auto call = oauth.authorize(std::move(req));
  am::oauth_result result = co_await std::move(call);
  if (!result.ok()) throw am::error(result.status, result.error);

  json::value token = json::parse(result.token_json);
  const json::object &t = token.as_object();
  const std::string access = text_field(t, "access_token");
  const std::string refresh = text_field(t, "refresh_token");
  if (refresh.empty())
    throw am::error(AM_ERROR, "X authorised account '" + account.nickname +
                                  "' but sent no refresh token (offline.access not granted?); "
                                  "run the command again and allow offline access");
  int64_t expires_in = 0;
  if (auto *e = t.if_contains("expires_in"); e && e->is_number())
    expires_in = e->to_number<int64_t>();
  const std::string scope = text_field(t, "scope");
  json::object stored{
      {"provider", "twitter"},
      {"access_token", access},
      {"refresh_token", refresh},
      {"token_type", text_field(t, "token_type")},
      {"scope", scope},
      {"expires_at", expires_in ? json::value(now_seconds() + expires_in) : json::value()}};
  // One call, one transaction: the single-use refresh token is durable before any use.
  const auto &store = job.host_ref().service<am_store>(AM_STORE_SERVICE_ID);
  const std::string text = json::serialize(stored);
  am::buffer error;
  if (store.set_oauth_token(job.host_ref().get(),
                            am::to_am_str(account.id.empty() ? account.nickname : account.id),
                            am::to_am_str(text), error.out()) != AM_OK)
    throw am::error(AM_IO, "X account '" + account.nickname +
                               "': could not store the new token: " + error.str());
  job.log().info("X account '" + account.nickname + "' is authorised; its tokens are stored");
  co_return json::serialize(json::object{{"account", account.nickname},
                                         {"provider", "twitter"},
                                         {"authorised", true},
                                         {"scope", scope}});
}

}  // namespace twitter
