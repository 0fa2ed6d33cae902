// plugins/tiktok/api_errors.cpp — TikTok's error codes and fail reasons in words.
#include "api_errors.hpp"

#include <map>

namespace tiktok {
namespace json = boost::json;

namespace {

std::string text_of(const json::object &o, const char *key) {
  auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

struct Meaning {
  am_status status;
  const char *what;
};

// docs/tiktok.md, "What TikTok's errors mean".
const std::map<std::string, Meaning> &meanings() {
  static const std::map<std::string, Meaning> m = {
      {"access_token_invalid",
       {AM_UNAUTHENTICATED,
        "the access token is invalid or expired and could not be refreshed; authorise the "
        "account again with `automuse-host auth tiktok --account NAME`"}},
      {"scope_not_authorized",
       {AM_PERMISSION_DENIED,
        "the user did not grant the scope this needs (video.publish to post, video.upload for "
        "drafts); authorise again and leave every scope ticked"}},
      {"privacy_level_option_mismatch",
       {AM_INVALID_ARGUMENT,
        "the privacy level is not one the creator is offered; choose one of the account's "
        "privacy options"}},
      {"unaudited_client_can_only_post_to_private_accounts",
       {AM_PERMISSION_DENIED,
        "this TikTok app has not passed TikTok's audit, so it may only post to a private "
        "account and only as SELF_ONLY (visible to the creator alone): make the TikTok account "
        "private and post with privacy SELF_ONLY, or have the app audited (docs/tiktok.md)"}},
      {"spam_risk_too_many_posts",
       {AM_QUOTA_EXCEEDED, "the account reached TikTok's daily posting cap; try again tomorrow"}},
      {"spam_risk_user_banned_from_posting",
       {AM_PERMISSION_DENIED, "TikTok has banned this account from posting"}},
      {"reached_active_user_cap",
       {AM_QUOTA_EXCEEDED,
        "the app reached TikTok's cap of active posting users for today (an unaudited app: 5 "
        "users a day); try again tomorrow or have the app audited"}},
      {"spam_risk_too_many_pending_share",
       {AM_QUOTA_EXCEEDED,
        "the account has 5 drafts waiting in its TikTok inbox from the last 24 hours; finish "
        "or discard them in the TikTok app first"}},
      {"url_ownership_unverified",
       {AM_PERMISSION_DENIED, "the video's URL is not on a domain verified for the app"}},
      {"rate_limit_exceeded",
       {AM_RATE_LIMITED, "too many requests to TikTok in the last minute; wait and retry"}},
      {"invalid_param", {AM_INVALID_ARGUMENT, "TikTok refused a field of the request"}},
      {"invalid_params", {AM_INVALID_ARGUMENT, "TikTok refused a field of the request"}},
      {"invalid_publish_id", {AM_NOT_FOUND, "TikTok does not know this publish_id"}},
      {"token_not_authorized_for_specified_publish_id",
       {AM_PERMISSION_DENIED, "this publish_id belongs to another TikTok user"}},
  };
  return m;
}

}  // namespace

ApiAnswer read_answer(const std::string &body) {
  ApiAnswer a;
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return a;
  const json::object &o = v.as_object();
  if (auto *d = o.if_contains("data"); d && d->is_object()) a.data = d->as_object();
  if (auto *e = o.if_contains("error"); e && e->is_object()) {
    a.code = text_of(e->as_object(), "code");
    a.message = text_of(e->as_object(), "message");
    a.log_id = text_of(e->as_object(), "log_id");
  }
  a.ok = a.code == "ok";
  return a;
}

Explained explain_error(int http_status, const ApiAnswer &answer, const std::string &who) {
  const std::string said =
      answer.code.empty() ? "HTTP " + std::to_string(http_status)
                          : answer.code + (answer.message.empty() ? "" : ": " + answer.message);
  const std::string log = answer.log_id.empty() ? "" : " (log_id " + answer.log_id + ")";
  auto it = meanings().find(answer.code);
  if (it != meanings().end())
    return {it->second.status, who + ": " + it->second.what + " [" + said + "]" + log};
  const am_status status = http_status >= 500   ? AM_UNAVAILABLE
                           : http_status == 429 ? AM_RATE_LIMITED
                                                : AM_ERROR;
  return {status, who + ": TikTok refused the request [" + said + "]" + log};
}

FailReason explain_fail_reason(const std::string &r, const std::string &who) {
  const std::string tail = " [fail_reason " + r + "]";
  if (r == "file_format_check_failed" || r == "duration_check_failed" ||
      r == "frame_rate_check_failed" || r == "picture_size_check_failed")
    return {AM_INVALID_ARGUMENT,
            who +
                ": TikTok refused the video itself (format, duration, frame rate or picture "
                "size; see docs/tiktok.md, \"Video rules\")" +
                tail,
            false};
  if (r == "internal" || r == "video_pull_failed")
    return {AM_UNAVAILABLE, who + ": TikTok failed to process the video on its side" + tail, true};
  if (r == "publish_cancelled")
    return {AM_CANCELLED, who + ": the post was cancelled on TikTok" + tail, false};
  if (r == "auth_removed")
    return {AM_UNAUTHENTICATED,
            who + ": the user removed the app's access; authorise the account again" + tail, false};
  if (r == "spam_risk_too_many_posts")
    return {AM_QUOTA_EXCEEDED, who + ": the account reached TikTok's daily posting cap" + tail,
            false};
  if (r.rfind("spam_risk", 0) == 0)
    return {AM_PERMISSION_DENIED,
            who + ": TikTok's spam checks refused the post (its text or the account)" + tail,
            false};
  return {AM_ERROR, who + ": TikTok did not publish the video" + tail, false};
}

}  // namespace tiktok
