// plugins/tiktok/auth_action.cpp — first authorisation of a TikTok account through the host's
// automuse.oauth/1 in TikTok's desktop Login Kit dialect (docs/tiktok.md, "Authorising"): the
// client parameter is `client_key`, scopes are comma-separated, PKCE's challenge is the
// lower-case hex SHA-256 of the verifier, and the redirect comes back to a loopback
// /callback/ path. The tokens are stored with one set_oauth_token call (one transaction): a
// refresh token TikTok replaces on each refresh is durable before anything uses it. Endpoints
// are overridable for tests: plugins.tiktok.{authorize_url, token_url, redirect_port,
// redirect_path}.
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
#include "tokens.hpp"

namespace tiktok {
namespace json = boost::json;
using plugin_support::string_member;

namespace {

constexpr const char *kAuthorizeUrl = "https://www.tiktok.com/v2/auth/authorize/";
const char *const kScopes[] = {"user.info.basic", "video.publish", "video.upload"};

// The scopes TikTok's answer says were granted, without the ones a post needs.
std::string missing_scopes(const std::string &granted) {
  std::string missing;
  for (const char *s : {"video.publish", "video.upload"})
    if (("," + granted + ",").find(std::string(",") + s + ",") == std::string::npos)
      missing += (missing.empty() ? "" : ", ") + std::string(s);
  return missing;
}

}  // namespace

am::task<std::string> auth_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  const Account account = parse_account(json::serialize(plugin_support::given_account(
      job.host_ref(), args,
      "choose the TikTok account to authorise with --account (see `automuse-host accounts "
      "list --plugin tiktok`)")));
  const std::string text = am::plugin_section(job.host_ref());
  const PluginSettings settings = parse_settings(text);
  const Client client = client_for(job.host_ref(), settings, account);
  const auto section = plugin_support::parse_section(text, "tiktok");

  am::oauth_request req;
  req.label = account.label();
  req.authorize_url = kAuthorizeUrl;
  req.token_url = token_url(settings);
  req.redirect_path =
      plugin_support::string_field(section.fields, "redirect_path", "/callback/", section.where);
  plugin_support::apply_auth_endpoints(req, section);
  req.client_id = client.key;
  req.client_secret = client.secret;
  req.client_id_name = "client_key";
  req.scope_separator = ",";
  req.challenge = AM_OAUTH_CHALLENGE_S256_HEX;
  req.scopes.assign(std::begin(kScopes), std::end(kScopes));
  plugin_support::apply_auth_options(req, args);

  auto call = plugin_support::authorize(job, std::move(req));
  const json::object t = co_await std::move(call);
  if (string_member(t, "refresh_token").empty())
    throw am::error(AM_ERROR, account.label() +
                                  ": TikTok sent no refresh token; run the "
                                  "command again");
  const std::string record = token_record(200, json::serialize(t), account.label(), "");
  plugin_support::store_oauth_token(job.host_ref(),
                                    account.id.empty() ? account.nickname : account.id,
                                    json::parse(record).as_object(), account.label());
  const std::string scope = string_member(t, "scope");
  const std::string missing = missing_scopes(scope);
  if (!missing.empty())
    job.log().warn(account.label() + " is authorised without " + missing +
                   " (unticked at TikTok's consent page): posting needs them; authorise again "
                   "and leave them ticked");
  job.log().info(account.label() + " is authorised; its tokens are stored");
  co_return json::serialize(json::object{{"account", account.nickname},
                                         {"provider", "tiktok"},
                                         {"authorised", true},
                                         {"scope", scope},
                                         {"missing_scopes", missing}});
}

}  // namespace tiktok
