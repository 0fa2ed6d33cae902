// plugins/youtube/auth_action.cpp — first authorisation of a YouTube account: Google's OAuth
// 2.0 loopback flow with PKCE (PROTOCOLS.md, "First authorisation") through the host's
// automuse.oauth/1, then the refresh token stored with automuse.store/1 in the shape
// youtube_api.cpp's access_token() reads ({"provider": "google", "refresh_token", ...}).
// Endpoints come from plugins.youtube.{authorize_url, token_url} so tests point them at fakes.
#include "auth_action.hpp"

#include <automuse/config.h>
#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/oauth.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "youtube_api.hpp"

namespace youtube {
namespace json = boost::json;

namespace {

constexpr const char *kAuthorizeUrl = "https://accounts.google.com/o/oauth2/v2/auth";
constexpr const char *kUploadScope = "https://www.googleapis.com/auth/youtube.upload";

struct AuthSettings {
  ApiConfig api;
  std::string authorize_url = kAuthorizeUrl;
  uint32_t port = 0;
};

AuthSettings read_settings(const am::host &host) {
  std::string text = "{}";
  if (const auto *config = host.find<am_config>(AM_CONFIG_SERVICE_ID)) {
    am::buffer section;
    if (config->plugin_section(host.get(), section.out()) == AM_OK) text = section.str();
  }
  AuthSettings s;
  s.api = parse_api_config(text);
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return s;
  const json::object &o = v.as_object();
  if (auto *x = o.if_contains("authorize_url"); x && !x->is_null()) {
    if (!x->is_string())
      throw am::error(AM_INVALID_ARGUMENT,
                      "automuse.json: plugins.youtube.authorize_url must be a string");
    s.authorize_url = std::string(x->as_string());
  }
  if (auto *x = o.if_contains("redirect_port"); x && !x->is_null()) {
    double port = x->is_number() ? x->to_number<double>() : -1;
    if (port < 0 || port > 65535 || port != static_cast<uint32_t>(port))
      throw am::error(AM_INVALID_ARGUMENT,
                      "automuse.json: plugins.youtube.redirect_port must be a port number "
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
  const json::value *account = args.if_contains("account");
  if (!account || !account->is_object())
    throw am::error(AM_INVALID_ARGUMENT,
                    "choose the YouTube account to authorise with --account (see `automuse-host "
                    "accounts list --plugin youtube`)");
  const std::string id = text_field(account->as_object(), "id");
  std::string nickname = text_field(account->as_object(), "nickname");
  if (nickname.empty()) nickname = id;

  AuthSettings settings = read_settings(job.host_ref());
  if (settings.api.client_id.empty() || settings.api.client_secret.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "automuse.json: plugins.youtube.client_id and client_secret are required to "
                    "authorise (a Google Cloud OAuth client of type Desktop app)");

  am::oauth_request req;
  req.label = "YouTube account '" + nickname + "'";
  req.authorize_url = settings.authorize_url;
  req.token_url = settings.api.token_url;
  req.client_id = settings.api.client_id;
  req.client_secret = settings.api.client_secret;
  req.client_auth = AM_OAUTH_CLIENT_SECRET_POST;
  req.scopes = {kUploadScope};
  // offline: a refresh token; consent: Google sends one even if the user agreed before.
  req.params = {{"access_type", "offline"}, {"prompt", "consent"}};
  req.port = settings.port;
  am::apply_auth_options(req, option(args, "no-browser"), option(args, "port"),
                         option(args, "timeout"));

  am::oauth oauth(job);
  auto call = oauth.authorize(std::move(req));
  am::oauth_result result = co_await std::move(call);
  if (!result.ok()) throw am::error(result.status, result.error);

  json::value token = json::parse(result.token_json);
  const json::object &t = token.as_object();
  const std::string refresh = text_field(t, "refresh_token");
  if (refresh.empty())
    throw am::error(AM_ERROR, "Google authorised YouTube account '" + nickname +
                                  "' but sent no refresh token; remove AutoMuse's access at "
                                  "https://myaccount.google.com/permissions and run the command "
                                  "again");
  int64_t expires_in = 3600;
  if (auto *e = t.if_contains("expires_in"); e && e->is_number())
    expires_in = e->to_number<int64_t>();
  std::string scope = text_field(t, "scope");
  if (scope.empty()) scope = kUploadScope;
  json::object stored{{"provider", "google"},     {"access_token", text_field(t, "access_token")},
                      {"refresh_token", refresh}, {"token_type", "Bearer"},
                      {"scope", scope},           {"expires_at", now_seconds() + expires_in}};
  const auto &store = job.host_ref().service<am_store>(AM_STORE_SERVICE_ID);
  const std::string text = json::serialize(stored);
  am::buffer error;
  if (store.set_oauth_token(job.host_ref().get(), am::to_am_str(id.empty() ? nickname : id),
                            am::to_am_str(text), error.out()) != AM_OK)
    throw am::error(AM_IO,
                    "cannot store the token of YouTube account '" + nickname + "': " + error.str());
  job.log().info("YouTube account '" + nickname + "' is authorised; its refresh token is stored");
  co_return json::serialize(json::object{
      {"account", nickname}, {"provider", "google"}, {"authorised", true}, {"scope", scope}});
}

}  // namespace youtube
