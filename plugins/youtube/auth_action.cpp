// plugins/youtube/auth_action.cpp — first authorisation of a YouTube account: Google's OAuth
// 2.0 loopback flow with PKCE (docs/protocols/google-oauth.md, "First authorisation") through the
// host's automuse.oauth/1, then the refresh token stored with automuse.store/1 in the shape
// youtube_api.cpp's access_token() reads ({"provider": "google", "refresh_token", ...}).
// Endpoints come from plugins.youtube.{authorize_url, token_url} so tests point them at fakes.
#include "auth_action.hpp"

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/oauth.hpp>
#include <boost/json.hpp>

#include "auth_steps.hpp"
#include "config_fields.hpp"
#include "json_members.hpp"
#include "youtube_api.hpp"

namespace youtube {
namespace json = boost::json;
using plugin_support::string_member;

namespace {

constexpr const char *kAuthorizeUrl = "https://accounts.google.com/o/oauth2/v2/auth";
constexpr const char *kUploadScope = "https://www.googleapis.com/auth/youtube.upload";

// The request as plugins.youtube (`text`, already read into `api`) configures it, for any
// account: the caller adds the account's label.
am::oauth_request configured_request(const ApiConfig &api, const std::string &text) {
  am::oauth_request req;
  req.authorize_url = kAuthorizeUrl;
  plugin_support::apply_auth_endpoints(req, plugin_support::parse_section(text, "youtube"));
  req.token_url = api.token_url;
  req.client_id = api.client_id;
  req.client_secret = api.client_secret;
  req.client_auth = AM_OAUTH_CLIENT_SECRET_POST;
  req.scopes = {kUploadScope};
  // offline: a refresh token; consent: Google sends one even if the user agreed before.
  req.params = {{"access_type", "offline"}, {"prompt", "consent"}};
  return req;
}

}  // namespace

am::task<std::string> auth_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  if (!args.has_account())
    throw am::error(AM_INVALID_ARGUMENT,
                    "choose the YouTube account to authorise with --account (see `automuse-host "
                    "accounts list --plugin youtube`)");
  const std::string id = args.account_id();
  std::string nickname = args.account_nickname();
  if (nickname.empty()) nickname = id;

  const std::string text = am::plugin_section(job.host_ref());
  const ApiConfig api = parse_api_config(text);
  am::oauth_request req = configured_request(api, text);
  if (api.client_id.empty() || api.client_secret.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "automuse.json: plugins.youtube.client_id and client_secret are required to "
                    "authorise (a Google Cloud OAuth client of type Desktop app)");

  req.label = "YouTube account '" + nickname + "'";
  plugin_support::apply_auth_options(req, args);

  auto call = plugin_support::authorize(job, std::move(req));
  const json::object t = co_await std::move(call);
  const std::string refresh = string_member(t, "refresh_token");
  if (refresh.empty())
    throw am::error(AM_ERROR, "Google authorised YouTube account '" + nickname +
                                  "' but sent no refresh token; remove AutoMuse's access at "
                                  "https://myaccount.google.com/permissions and run the command "
                                  "again");
  const int64_t expires_in = plugin_support::int_member(t, "expires_in", 3600);
  std::string scope = string_member(t, "scope");
  if (scope.empty()) scope = kUploadScope;
  json::object stored{
      {"provider", "google"},     {"access_token", string_member(t, "access_token")},
      {"refresh_token", refresh}, {"token_type", "Bearer"},
      {"scope", scope},           {"expires_at", plugin_support::expires_at(expires_in)}};
  plugin_support::store_oauth_token(job.host_ref(), id.empty() ? nickname : id, stored,
                                    "YouTube account '" + nickname + "'");
  job.log().info("YouTube account '" + nickname + "' is authorised; its refresh token is stored");
  co_return json::serialize(json::object{
      {"account", nickname}, {"provider", "google"}, {"authorised", true}, {"scope", scope}});
}

}  // namespace youtube
