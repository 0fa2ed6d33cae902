// plugins/twitter/auth_action.cpp — first authorisation of an X account with OAuth 2.0 and
// PKCE (docs/protocols/x-api.md, "OAuth 2.0 with PKCE") through the host's automuse.oauth/1. The
// client id is the account's `client_id` field (the one x_api.cpp refreshes with) or
// plugins.twitter.client_id; a confidential client's secret (plugins.twitter.client_secret)
// goes in HTTP Basic auth, as X wants. The tokens are stored with one set_oauth_token call
// (one transaction) in the shape x_api.cpp reads: X's refresh tokens are single use, so the
// pair is durable before anything uses it. Endpoints are overridable for tests:
// plugins.twitter.{authorize_url, oauth_token_url, redirect_port, redirect_path}.
#include "auth_action.hpp"

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/oauth.hpp>
#include <boost/json.hpp>

#include "action_account.hpp"
#include "auth_steps.hpp"
#include "config_fields.hpp"
#include "json_members.hpp"
#include "settings.hpp"

namespace twitter {
namespace json = boost::json;
using plugin_support::string_member;

namespace {

constexpr const char *kAuthorizeUrl = "https://x.com/i/oauth2/authorize";
const char *const kScopes[] = {"tweet.read", "tweet.write", "users.read", "offline.access",
                               "media.write"};

// The request as plugins.twitter (`text`, already read into `plugin`) configures it, for any
// account: the caller adds the account's label and client id.
am::oauth_request configured_request(const PluginSettings &plugin, const std::string &text) {
  const auto section = plugin_support::parse_section(text, "twitter");
  am::oauth_request req;
  req.authorize_url = kAuthorizeUrl;
  req.token_url = plugin_support::string_field(section.fields, "oauth_token_url",
                                               plugin.api_base + "/2/oauth2/token", section.where);
  req.redirect_path =
      plugin_support::string_field(section.fields, "redirect_path", "/callback", section.where);
  plugin_support::apply_auth_endpoints(req, section);
  req.client_secret = plugin.client_secret;  // empty for a public client
  req.client_auth = AM_OAUTH_CLIENT_SECRET_BASIC;
  req.scopes.assign(std::begin(kScopes), std::end(kScopes));
  return req;
}

}  // namespace

am::task<std::string> auth_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  const Account account = parse_account(json::serialize(plugin_support::given_account(
      job.host_ref(), args,
      "choose the X account to authorise with --account (see `automuse-host accounts "
      "list --plugin twitter`)")));

  const std::string text = am::plugin_section(job.host_ref());
  const PluginSettings plugin = parse_settings(text);  // api_base and the client, checked
  am::oauth_request req = configured_request(plugin, text);
  const std::string client_id = account.client_id.empty() ? plugin.client_id : account.client_id;
  if (client_id.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "X account '" + account.nickname +
                        "' has no client_id: set the OAuth 2.0 client id of your X app with "
                        "`automuse-host accounts set " +
                        account.nickname +
                        " --plugin twitter --set client_id=...` (or plugins.twitter.client_id)");

  req.label = "X account '" + account.nickname + "'";
  req.client_id = client_id;
  plugin_support::apply_auth_options(req, args);

  auto call = plugin_support::authorize(job, std::move(req));
  const json::object t = co_await std::move(call);
  const std::string access = string_member(t, "access_token");
  const std::string refresh = string_member(t, "refresh_token");
  if (refresh.empty())
    throw am::error(AM_ERROR, "X authorised account '" + account.nickname +
                                  "' but sent no refresh token (offline.access not granted?); "
                                  "run the command again and allow offline access");
  const int64_t expires_in = plugin_support::int_member(t, "expires_in", 0);
  const std::string scope = string_member(t, "scope");
  json::object stored{
      {"provider", "twitter"},
      {"access_token", access},
      {"refresh_token", refresh},
      {"token_type", string_member(t, "token_type")},
      {"scope", scope},
      {"expires_at",
       expires_in ? json::value(plugin_support::expires_at(expires_in)) : json::value()}};
  // One call, one transaction: the single-use refresh token is durable before any use.
  plugin_support::store_oauth_token(job.host_ref(),
                                    account.id.empty() ? account.nickname : account.id, stored,
                                    "X account '" + account.nickname + "'");
  job.log().info("X account '" + account.nickname + "' is authorised; its tokens are stored");
  co_return json::serialize(json::object{{"account", account.nickname},
                                         {"provider", "twitter"},
                                         {"authorised", true},
                                         {"scope", scope}});
}

}  // namespace twitter
