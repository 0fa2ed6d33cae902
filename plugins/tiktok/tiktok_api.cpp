// plugins/tiktok/tiktok_api.cpp — the posting endpoints over the host's HTTP service.
#include "tiktok_api.hpp"

#include <automuse/cpp/http.hpp>

#include "json_members.hpp"

namespace tiktok {
namespace json = boost::json;
using plugin_support::int_member;
using plugin_support::string_member;

namespace {

bool bool_member(const json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

// {"publish_id": "..."} (built outside the coroutine: GCC 12 miscompiles braced JSON there).
std::string status_body(const std::string &publish_id) {
  json::object o;
  o["publish_id"] = publish_id;
  return json::serialize(o);
}

}  // namespace

TikTokApi::TikTokApi(am::job job, PluginSettings settings, Account account)
    : job_(job), settings_(settings), account_(account), tokens_(job, settings, account) {}

am::task<TikTokApi::Call> TikTokApi::call(std::string path, std::string body, bool resend_ok) {
  am::http http(job_);
  for (int attempt = 1;; ++attempt) {
    const std::string token = co_await tokens_.access_token();
    am::http_request req("POST", settings_.api_base + path, body);
    req.headers = {{"Authorization", "Bearer " + token},
                   {"Content-Type", "application/json; charset=UTF-8"}};
    req.safe_to_resend_body = resend_ok;
    if (!resend_ok) req.max_attempts = 1;
    am::http_response resp = co_await http.send(std::move(req));
    if (resp.status != AM_OK) {
      if (resp.status == AM_CANCELLED) throw am::error(AM_CANCELLED, "cancelled");
      throw OutcomeUnknown(AM_UNAVAILABLE, account_.label() + ": no answer from TikTok (" + path +
                                               "): " + resp.error);
    }
    Call c{resp.http_status, read_answer(resp.body)};
    // An expired or revoked access token: refresh once and ask again (TikTok did nothing).
    if (c.http_status == 401 && c.answer.code == "access_token_invalid" && attempt == 1) {
      job_.log().info(account_.label() + ": TikTok refused the access token; refreshing it");
      co_await tokens_.refresh_after_rejection(token);
      continue;
    }
    co_return c;
  }
}

am::task<CreatorInfo> TikTokApi::creator_info() {
  Call c = co_await call("/v2/post/publish/creator_info/query/", "", true);
  if (!c.answer.ok) {
    Explained e = explain_error(c.http_status, c.answer, account_.label());
    throw am::error(e.status, e.message);
  }
  const json::object &d = c.answer.data;
  CreatorInfo info;
  info.username = string_member(d, "creator_username");
  info.nickname = string_member(d, "creator_nickname");
  if (auto *p = d.if_contains("privacy_level_options"); p && p->is_array())
    for (auto &o : p->as_array())
      if (o.is_string()) info.privacy_options.emplace_back(o.as_string());
  info.comment_disabled = bool_member(d, "comment_disabled");
  info.duet_disabled = bool_member(d, "duet_disabled");
  info.stitch_disabled = bool_member(d, "stitch_disabled");
  info.max_duration_secs = static_cast<int>(int_member(d, "max_video_post_duration_sec", 0));
  co_return info;
}

am::task<Opened> TikTokApi::init(json::object body, bool inbox) {
  const std::string path =
      inbox ? "/v2/post/publish/inbox/video/init/" : "/v2/post/publish/video/init/";
  Call c = co_await call(path, json::serialize(body), false);
  if (c.http_status >= 500 && !c.answer.ok)
    throw OutcomeUnknown(AM_UNAVAILABLE, account_.label() + ": TikTok answered HTTP " +
                                             std::to_string(c.http_status) + " to the init");
  if (!c.answer.ok) {
    Explained e = explain_error(c.http_status, c.answer, account_.label());
    throw am::error(e.status, e.message);
  }
  Opened o{string_member(c.answer.data, "publish_id"), string_member(c.answer.data, "upload_url")};
  if (o.publish_id.empty() || o.upload_url.empty())
    throw am::error(AM_ERROR, account_.label() +
                                  ": TikTok's init answer has no publish_id or "
                                  "upload_url");
  co_return o;
}

am::task<PublishStatus> TikTokApi::status(std::string publish_id) {
  Call c = co_await call("/v2/post/publish/status/fetch/", status_body(publish_id), true);
  if (!c.answer.ok) {
    Explained e = explain_error(c.http_status, c.answer, account_.label());
    throw am::error(e.status, e.message + " (status of " + publish_id + ")");
  }
  const json::object &d = c.answer.data;
  PublishStatus s;
  s.status = string_member(d, "status");
  s.fail_reason = string_member(d, "fail_reason");
  s.uploaded_bytes = static_cast<uint64_t>(int_member(d, "uploaded_bytes", 0));
  if (auto *ids = d.if_contains("publicaly_available_post_id"); ids && ids->is_array())
    for (auto &id : ids->as_array()) {
      if (id.is_int64())
        s.post_id = std::to_string(id.as_int64());
      else if (id.is_uint64())
        s.post_id = std::to_string(id.as_uint64());
      else if (id.is_string())
        s.post_id = std::string(id.as_string());
      if (!s.post_id.empty()) break;
    }
  co_return s;
}

}  // namespace tiktok
