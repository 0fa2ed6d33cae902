// plugins/tiktok/plugin_entry.cpp — the TikTok plugin's entry: describe, the actions `auth`
// (authorise an account in a browser) and `post` (a video, through this plugin's own publisher
// so the host's publication ledger records it), and its publisher of video in
// "automuse.publish/1", so `youtube run --also-publish tiktok:ACCOUNT` posts the Short here.
#include <automuse/plugin.h>
#include <automuse/publish.h>

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/publish.hpp>
#include <boost/json.hpp>

#include "action_account.hpp"
#include "auth_action.hpp"
#include "auth_steps.hpp"
#include "caption.hpp"
#include "publish_flow.hpp"
#include "publisher.hpp"
#include "settings.hpp"

namespace {

namespace json = boost::json;
using tiktok::Account;

am::host g_host;
plugin_support::Publisher g_publisher;  // in automuse.publish/1

Account load_account(const am::host &host, const std::string &name) {
  return tiktok::parse_account(
      plugin_support::account_record(host, name, "TikTok account '" + name + "'"));
}

// A publication's options_json: {"privacy_level", "draft", "is_aigc"}, each optional.
tiktok::PostRequest request_from(const am_publish_content &c) {
  tiktok::PostRequest r;
  r.video_path = am::to_string(c.media_path);
  r.caption = am::to_string(c.text);
  if (r.caption.empty()) r.caption = am::to_string(c.title);
  const std::string options = am::to_string(c.options_json);
  if (options.empty()) return r;
  json::error_code ec;
  json::value v = json::parse(options, ec);
  if (ec || !v.is_object())
    throw am::error(AM_INVALID_ARGUMENT, "tiktok: the publication's options are not a JSON object");
  const json::object &o = v.as_object();
  if (auto *p = o.if_contains("privacy_level"); p && p->is_string())
    r.privacy_level = std::string(p->as_string());
  if (auto *d = o.if_contains("draft"); d && d->is_bool()) r.draft = d->as_bool();
  if (auto *a = o.if_contains("is_aigc"); a && a->is_bool()) r.is_aigc = a->as_bool();
  return r;
}

am::task<std::string> post_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  const plugin_support::AccountChoice choice = plugin_support::choose_account(job.host_ref(), args);
  if (!choice.account_json)
    throw am::error(AM_INVALID_ARGUMENT,
                    "choose a TikTok account with --account (see `automuse-host accounts list "
                    "--plugin tiktok`)");
  const Account account = tiktok::parse_account(*choice.account_json);
  const std::string video = args.option("video", "");
  if (video.empty())
    throw am::error(AM_INVALID_ARGUMENT, "tiktok post: give the video with --video FILE");
  json::object options;
  if (auto p = args.option("privacy")) options["privacy_level"] = *p;
  if (auto d = args.option_bool("draft")) options["draft"] = *d;
  if (auto a = args.option_bool("aigc")) options["is_aigc"] = *a;
  // Through the publish registry to this plugin's own publisher: the host's ledger records the
  // post, so the same video is not posted twice to the account.
  am::publisher_client publish(job.host_ref());
  am::publish_content content;
  content.media_path = video;
  content.title = args.option("caption", "");
  if (!options.empty()) content.options_json = json::serialize(options);
  auto send = publish.send(job, "tiktok", account.id, std::move(content));
  am::published p = co_await std::move(send);
  co_return p.result_json;
}

// One publication through the registry: the account and request read at once (a bad one is
// refused before anything is sent), then the post.
am::task<std::string> start_post(am::job job, const std::string &account_name,
                                 const am_publish_content &content, tiktok::StopFlag stop) {
  Account account = load_account(g_host, account_name);
  tiktok::PostRequest request = request_from(content);
  auto settings = tiktok::parse_settings(am::plugin_section(g_host));
  return plugin_support::result_json(
      tiktok::publish_video(job, settings, account, std::move(request), std::move(stop)),
      [account](const tiktok::Posted &posted) { return tiktok::posted_json(posted, account); });
}

// TikTok's caption rule for other plugins (SDK 1.4): UTF-16 units, at most 2200.
am_status caption_length(void *, am_str text, am_text_length *out, am_buffer *error) {
  if (!out || !AM_HAS_FIELD(out, am_text_length, length)) return AM_INVALID_ARGUMENT;
  auto units = tiktok::utf16_units(am::view(text));
  if (!units) {
    if (error) *error = am::make_buffer("tiktok: the text is not valid UTF-8");
    return AM_INVALID_ARGUMENT;
  }
  out->length = static_cast<int32_t>(*units);
  if (AM_HAS_FIELD(out, am_text_length, max_length))
    out->max_length = static_cast<int32_t>(tiktok::kMaxCaptionUnits);
  if (AM_HAS_FIELD(out, am_text_length, links)) out->links = 0;
  return AM_OK;
}

am_status fit_caption(void *, am_str text, int32_t max_length, am_buffer *out_text, am_buffer *) {
  if (!out_text) return AM_INVALID_ARGUMENT;
  const size_t max = max_length > 0 ? static_cast<size_t>(max_length) : tiktok::kMaxCaptionUnits;
  return am::guard([&] { *out_text = am::make_buffer(tiktok::fit_caption(am::view(text), max)); });
}

am_status tiktok_init(const am_host *host) {
  return am::guard([&] {
    g_host = am::host(host);
    g_host.service<am_job_service>(AM_JOB_SERVICE_ID);
    // A caption rides in the title: text alone is refused.
    g_publisher.register_with(g_host, AM_PUBLISH_VIDEO, start_post,
                              {&caption_length, &fit_caption});
  });
}

void tiktok_deinit() {
  g_publisher.unregister();
  g_host = am::host();
}

am_str tiktok_describe() {
  static const char kDescription[] = R"json({
  "description": "Posts videos to TikTok through the Content Posting API (Direct Post or inbox drafts)",
  "account_fields": [
    {"name": "client_key", "type": "string", "help": "Client key of your TikTok app (plugins.tiktok.client_key when empty)"},
    {"name": "client_secret", "type": "string", "secret": true, "help": "Client secret of your TikTok app"},
    {"name": "privacy_level", "type": "string", "default": "auto",
     "enum": ["auto", "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
     "help": "Who sees the posts; auto: the widest the creator is offered (an unaudited app: SELF_ONLY)"},
    {"name": "is_aigc", "type": "boolean", "default": true, "help": "Label the posts as AI-generated content"},
    {"name": "draft", "type": "boolean", "default": false, "help": "Send videos to the TikTok inbox as drafts instead of posting them"}
  ],
  "actions": [
    {"name": "post", "summary": "Post a video (MP4) to TikTok",
     "options": [{"name": "video", "type": "string", "required": true, "help": "The MP4 file to post"},
                 {"name": "caption", "type": "string", "help": "The caption (at most 2200 UTF-16 units)"},
                 {"name": "privacy", "type": "string",
                  "enum": ["auto", "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
                  "help": "Who sees it (default: the account's privacy_level)"},
                 {"name": "draft", "type": "boolean", "help": "Send it to the TikTok inbox as a draft"},
                 {"name": "aigc", "type": "boolean", "help": "Label it as AI-generated (default: the account's is_aigc)"}]},
    {"name": "auth", "summary": "Authorise the account with TikTok in a browser (automuse-host auth tiktok --account A)",
     "options": )json";
  static const char kTail[] = R"json(}
  ],
  "publishes": ["video"]
})json";
  static const std::string text =
      kDescription + std::string(plugin_support::auth_options_json()) + kTail;
  return am::to_am_str(text);
}

am_status tiktok_start_action(const am_action_call *call) {
  const auto action = am::view(call->action);
  if (action == "auth") return am::start_coroutine_action(g_host.get(), call, tiktok::auth_action);
  if (action != "post") return AM_UNSUPPORTED;
  return am::start_coroutine_action(g_host.get(), call, post_action);
}

}  // namespace

extern "C" AM_EXPORT const am_plugin_entry automuse_plugin_entry = {
    AM_ABI_VERSION_INIT, sizeof(am_plugin_entry), "tiktok",        "TikTok",           "0.1.0",
    tiktok_init,         tiktok_deinit,           tiktok_describe, tiktok_start_action};
