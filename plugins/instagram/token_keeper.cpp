// plugins/instagram/token_keeper.cpp — reading and refreshing the long-lived token.
#include "token_keeper.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/http.hpp>
#include <automuse/cpp/oauth_refresh.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "graph_errors.hpp"
#include "json_members.hpp"

namespace instagram {
namespace json = boost::json;

namespace {

StoredToken parse_token(const std::string &text) {
  StoredToken t;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return t;
  const json::object &o = v.as_object();
  t.access_token = plugin_support::string_member(o, "access_token");
  t.expires_at = plugin_support::int_member(o, "expires_at", 0);
  t.scope = plugin_support::string_member(o, "scope");
  return t;
}

// GET /refresh_access_token: the new token's record, or "" when Instagram refused (why logged).
am::task<std::string> ask_refresh(am::job job, PluginSettings s, Account account, std::string token,
                                  std::string scope) {
  am::http_request req(s.graph_url +
                       "/refresh_access_token?grant_type=ig_refresh_token&access_token=" + token);
  req.max_attempts = 2;
  am::http http(job);
  auto sending = http.send(std::move(req));
  am::http_response resp = co_await std::move(sending);
  json::error_code ec;
  json::value v = resp.ok() ? json::parse(resp.body, ec) : json::value();
  const json::object *o = v.if_object();
  const std::string access = o ? plugin_support::string_member(*o, "access_token") : "";
  if (access.empty()) {
    const GraphError e = parse_graph_error(resp.body);
    job.log().warn(account.label() + ": refreshing the token failed (" +
                   (resp.status != AM_OK ? resp.error
                                         : "HTTP " + std::to_string(resp.http_status) + ", " +
                                               e.code_text() + ": " + e.message) +
                   "); the current token stays in use until it expires");
    co_return std::string();
  }
  co_return token_record_json(
      access, plugin_support::int_member(*o, "expires_in", kLongLivedSeconds), scope);
}

}  // namespace

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string login_again(const Account &account) {
  return "log in again with `automuse-host auth instagram --account " + account.nickname + "`";
}

std::string token_record_json(const std::string &access_token, int64_t expires_in,
                              const std::string &scope) {
  return json::serialize(json::object{
      {"provider", "instagram"},
      {"access_token", access_token},
      {"token_type", "bearer"},
      {"scope", scope.empty() ? json::value() : json::value(scope)},
      {"expires_at", expires_in > 0 ? json::value(now_seconds() + expires_in) : json::value()}});
}

StoredToken load_token(const am::job &job, const Account &account) {
  const am::host &host = job.host_ref();
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer out;
  StoredToken t;
  if (store.get_oauth_token(host.get(), am::to_am_str(account.id), out.out(), nullptr) == AM_OK)
    t = parse_token(out.str());
  if (t.access_token.empty())
    throw am::error(AM_UNAUTHENTICATED,
                    account.label() + " is not logged in: " + login_again(account));
  if (t.expires_at && t.expires_at <= now_seconds())
    throw am::error(AM_UNAUTHENTICATED, account.label() +
                                            ": its Instagram token expired (a token not refreshed "
                                            "within 60 days is gone): " +
                                            login_again(account));
  return t;
}

bool refresh_due(int64_t expires_at, int64_t now) {
  if (!expires_at || expires_at <= now) return false;
  const int64_t age = kLongLivedSeconds - (expires_at - now);
  return age >= kRefreshAfterSeconds;
}

am::task<StoredToken> usable_token(am::job job, PluginSettings settings, Account account) {
  StoredToken t = load_token(job, account);
  if (!refresh_due(t.expires_at, now_seconds())) co_return t;
  // Another run may be refreshing this account now: the lock makes this one wait and then
  // find the token that run stored.
  am::oauth_refresh lock(job.host_ref().get(), account.id);
  const StoredToken stored = parse_token(lock.current_json());
  if (!stored.access_token.empty() && stored.access_token != t.access_token) {
    job.log().info(account.label() + ": another run refreshed the token meanwhile; using it");
    co_return stored;
  }
  job.log().info(account.label() + ": refreshing its long-lived Instagram token");
  auto asking = ask_refresh(job, settings, account, t.access_token, t.scope);
  const std::string record = co_await std::move(asking);
  if (record.empty()) co_return t;  // the lock's destructor releases it, storing nothing
  try {
    lock.end(record);
  } catch (const am::error &e) {
    throw am::error(AM_IO, account.label() + ": could not store the refreshed token: " + e.what());
  }
  co_return parse_token(record);
}

}  // namespace instagram
