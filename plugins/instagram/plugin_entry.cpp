// plugins/instagram/plugin_entry.cpp — the Instagram plugin's entry: describe, the actions
// `post` (a video as a Reel), `check` (a video against the Reel rules) and `auth` (Instagram
// Login), and its publisher of video in "automuse.publish/1", through which its own `post` and
// other plugins' cross-posts (youtube --also-publish instagram:A) publish, so the host records
// every Reel in its publication ledger.
#include <automuse/plugin.h>
#include <automuse/publish.h>

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/publish.hpp>
#include <boost/json.hpp>

#include "action_account.hpp"
#include "auth_action.hpp"
#include "describe.hpp"
#include "json_members.hpp"
#include "publish_flow.hpp"
#include "publisher.hpp"
#include "settings.hpp"
#include "video_rules.hpp"

namespace {

namespace json = boost::json;
using instagram::Account;

am::host g_host;
plugin_support::Publisher g_publisher;  // in automuse.publish/1

Account load_account(const am::host &host, const std::string &name) {
  return instagram::parse_account(
      plugin_support::account_record(host, name, "Instagram account '" + name + "'"));
}

// The caption: options_json's "caption", else the publication's title (how a cross-post hands
// its words to a video-only publisher), else its text.
std::string caption_of(const am_publish_content &content) {
  const std::string options = am::to_string(content.options_json);
  if (!options.empty()) {
    json::error_code ec;
    json::value v = json::parse(options, ec);
    if (!ec && v.is_object()) {
      const std::string caption = plugin_support::string_member(v.as_object(), "caption");
      if (!caption.empty()) return caption;
    }
  }
  const std::string title = am::to_string(content.title);
  return title.empty() ? am::to_string(content.text) : title;
}

am::task<std::string> post_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  const plugin_support::AccountChoice choice = plugin_support::choose_account(job.host_ref(), args);
  if (!choice.account_json)
    throw am::error(AM_INVALID_ARGUMENT,
                    "choose an Instagram account with --account (see `automuse-host accounts "
                    "list --plugin instagram`)");
  const Account account = instagram::parse_account(*choice.account_json);
  // Through the registry to this plugin's own publisher: the host records the Reel in its
  // publication ledger, so the same video is not published twice to the account.
  am::publisher_client publish(job.host_ref());
  am::publish_content content;
  content.media_path = args.option("video", "");
  content.title = args.option("title", "");
  content.options_json = json::serialize(json::object{{"caption", args.option("caption", "")}});
  auto send = publish.send(job, "instagram", account.id, std::move(content));
  am::published p = co_await std::move(send);
  co_return p.result_json;
}

am::task<std::string> check_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  const std::string video = args.option("video", "");
  auto checking = job.on_worker([video] {
    instagram::check_reel_video(video, "instagram");
    return 0;
  });
  co_await std::move(checking);
  co_return json::serialize(json::object{{"video", video}, {"fits_instagram_reels", true}});
}

}  // namespace

// ---- publisher for "automuse.publish/1"

namespace {

// One publication through the registry: the account and the request read at once (a bad one is
// refused before anything is sent), then the Reel.
am::task<std::string> start_reel(am::job job, const std::string &account_name,
                                 const am_publish_content &content, instagram::StopFlag stop) {
  instagram::ReelRequest request;
  request.account = load_account(g_host, account_name);
  request.video_path = am::to_string(content.media_path);
  request.title = am::to_string(content.title);
  request.caption = caption_of(content);
  auto settings = instagram::parse_settings(am::plugin_section(g_host));
  const Account account = request.account;
  return plugin_support::result_json(
      instagram::publish_reel(job, std::move(settings), std::move(request), std::move(stop)),
      [account](const instagram::PublishedReel &reel) {
        return instagram::published_json(reel, account);
      });
}

am_status instagram_init(const am_host *host) {
  return am::guard([&] {
    g_host = am::host(host);
    g_host.service<am_job_service>(AM_JOB_SERVICE_ID);
    // The caption comes as the title (or options_json's "caption").
    g_publisher.register_with(g_host, AM_PUBLISH_VIDEO, start_reel);
  });
}

void instagram_deinit() {
  g_publisher.unregister();
  g_host = am::host();
}

am_str instagram_describe() {
  return am::to_am_str(instagram::description_json());
}

am_status instagram_start_action(const am_action_call *call) {
  const auto action = am::view(call->action);
  if (action == "auth")
    return am::start_coroutine_action(g_host.get(), call, instagram::auth_action);
  if (action == "post") return am::start_coroutine_action(g_host.get(), call, post_action);
  if (action == "check") return am::start_coroutine_action(g_host.get(), call, check_action);
  return AM_UNSUPPORTED;
}

}  // namespace

extern "C" AM_EXPORT const am_plugin_entry automuse_plugin_entry = {AM_ABI_VERSION_INIT,
                                                                    sizeof(am_plugin_entry),
                                                                    "instagram",
                                                                    "Instagram Reels",
                                                                    "0.1.0",
                                                                    instagram_init,
                                                                    instagram_deinit,
                                                                    instagram_describe,
                                                                    instagram_start_action};
