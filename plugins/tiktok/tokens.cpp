// plugins/tiktok/tokens.cpp — loading, refreshing and storing an account's tokens.
#include "tokens.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/http.hpp>
#include <automuse/cpp/oauth_refresh.hpp>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <chrono>

#include "auth_steps.hpp"
#include "json_members.hpp"

namespace tiktok {
namespace json = boost::json;
using plugin_support::int_member;
using plugin_support::string_member;

namespace {

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string enc(const std::string &s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

json::object parse_object(const std::string &text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? v.as_object() : json::object();
}

}  // namespace

Client client_for(const am::host &host, const PluginSettings &settings, const Account &account) {
  Client c{account.client_key.empty() ? settings.client_key : account.client_key, {}};
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer value, error;
  const std::string key = account.id.empty() ? account.nickname : account.id;
  if (store.get_secret(host.get(), am::to_am_str(key), am::to_am_str(std::string("client_secret")),
                       value.out(), error.out()) == AM_OK)
    c.secret = value.str();
  if (c.secret.empty()) c.secret = settings.client_secret;
  const std::string set =
      "`automuse-host accounts set " + account.nickname + " --plugin tiktok --set ";
  if (c.key.empty())
    throw am::error(AM_INVALID_ARGUMENT, account.label() +
                                             " has no client_key: set your TikTok app's client "
                                             "key with " +
                                             set + "client_key=...`");
  if (c.secret.empty())
    throw am::error(AM_INVALID_ARGUMENT, account.label() +
                                             " has no client_secret: set your TikTok app's "
                                             "client secret with " +
                                             set + "client_secret=...`");
  return c;
}

std::string token_record(int http_status, const std::string &body, const std::string &who,
                         const std::string &old_refresh_token) {
  const json::object t = parse_object(body);
  const std::string access = string_member(t, "access_token");
  if (access.empty() || http_status < 200 || http_status >= 300) {
    const std::string error = string_member(t, "error");
    const std::string what = error.empty()
                                 ? "HTTP " + std::to_string(http_status)
                                 : error + (string_member(t, "error_description").empty()
                                                ? ""
                                                : ": " + string_member(t, "error_description"));
    throw am::error(AM_UNAUTHENTICATED, who + ": refreshing the TikTok token failed (" + what +
                                            "); authorise the account again with "
                                            "`automuse-host auth tiktok --account ...`");
  }
  std::string refresh = string_member(t, "refresh_token");
  if (refresh.empty()) refresh = old_refresh_token;  // kept when TikTok sends none
  const int64_t expires_in = int_member(t, "expires_in", 0);
  return json::serialize(
      json::object{{"provider", "tiktok"},
                   {"access_token", access},
                   {"refresh_token", refresh},
                   {"token_type", string_member(t, "token_type")},
                   {"scope", string_member(t, "scope")},
                   {"expires_at", expires_in ? json::value(plugin_support::expires_at(expires_in))
                                             : json::value()}});
}

Tokens::Tokens(am::job job, PluginSettings settings, Account account)
    : job_(std::move(job)), settings_(std::move(settings)), account_(std::move(account)) {}

void Tokens::load() {
  const am::host &host = job_.host_ref();
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer out, error;
  const std::string key = account_.id.empty() ? account_.nickname : account_.id;
  if (store.get_oauth_token(host.get(), am::to_am_str(key), out.out(), error.out()) != AM_OK)
    throw am::error(AM_UNAUTHENTICATED, account_.label() +
                                            " is not authorised: run `automuse-host auth tiktok "
                                            "--account " +
                                            account_.nickname + "`");
  adopt(out.str(), "");
  loaded_ = true;
}

// Takes the stored token unless it is `stale`; true when it did.
bool Tokens::adopt(const std::string &stored_json, const std::string &stale) {
  const json::object t = parse_object(stored_json);
  const std::string access = string_member(t, "access_token");
  if (std::string r = string_member(t, "refresh_token"); !r.empty()) refresh_ = r;
  if (access.empty() || access == stale) return false;
  access_ = access;
  expires_at_ = int_member(t, "expires_at", 0);
  return true;
}

bool Tokens::expiring() const {
  // A token this run refreshed is used until it really expires: one that lives less than the
  // margin would otherwise be refreshed before every call.
  const int64_t margin = refreshed_ ? 0 : settings_.refresh_margin_secs;
  return access_.empty() || (expires_at_ && expires_at_ - margin <= now_seconds());
}

am::task<std::string> Tokens::access_token() {
  if (!loaded_) load();
  if (expiring()) co_await refresh(access_);
  co_return access_;
}

am::task<void> Tokens::refresh_after_rejection(std::string rejected) {
  if (!loaded_) load();
  co_await refresh(std::move(rejected));
}

am::task<void> Tokens::refresh(std::string stale) {
  const am::host &host = job_.host_ref();
  const Client client = client_for(host, settings_, account_);
  // Another run may be refreshing this account now: the lock makes this one wait, and then it
  // finds what that run stored.
  am::oauth_refresh lock(host.get(), account_.id.empty() ? account_.nickname : account_.id);
  if (adopt(lock.current_json(), stale) && !(expires_at_ && expires_at_ <= now_seconds())) {
    refreshed_ = true;
    job_.log().info(account_.label() + ": refreshed by another run meanwhile; using its token");
    co_return;
  }
  if (refresh_.empty())
    throw am::error(AM_UNAUTHENTICATED, account_.label() +
                                            " has no refresh token: authorise it again with "
                                            "`automuse-host auth tiktok --account " +
                                            account_.nickname + "`");
  job_.log().info(account_.label() + ": refreshing the access token");
  am::http_request req("POST", token_url(settings_),
                       "client_key=" + enc(client.key) + "&client_secret=" + enc(client.secret) +
                           "&grant_type=refresh_token&refresh_token=" + enc(refresh_));
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.max_attempts = 1;  // a refresh token may be single use: never sent twice
  am::http http(job_);
  am::http_response resp = co_await http.send(std::move(req));
  if (resp.status != AM_OK)
    throw am::error(resp.status == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE,
                    account_.label() + ": cannot reach TikTok's token endpoint: " + resp.error);
  const std::string record = token_record(resp.http_status, resp.body, account_.label(), refresh_);
  // Durable before use, and before the lock ends: the old refresh token may be dead already.
  try {
    lock.end(record);
  } catch (const am::error &e) {
    throw am::error(AM_IO, account_.label() + ": could not store the refreshed token: " + e.what());
  }
  adopt(record, "");
  refreshed_ = true;
}

}  // namespace tiktok
