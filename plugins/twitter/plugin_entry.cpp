// plugins/twitter/plugin_entry.cpp — the X plugin's entry: describe, the actions `run` (write
// a post with the LLM and publish it) and `post` (--text, --video), and its publisher in
// "automuse.publish/1" so other plugins can publish text and video through it.
#include <automuse/llm.h>
#include <automuse/plugin.h>
#include <automuse/publish.h>

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/publish.hpp>
#include <boost/json.hpp>

#include "action_account.hpp"
#include "auth_action.hpp"
#include "auth_steps.hpp"
#include "post_writer.hpp"
#include "publish_flow.hpp"
#include "publisher.hpp"
#include "settings.hpp"
#include "text_rules.hpp"

namespace {

namespace json = boost::json;
using twitter::Account;

am::host g_host;
plugin_support::Publisher g_publisher;  // in automuse.publish/1

twitter::PluginSettings load_settings(const am::host &host) {
  return twitter::parse_settings(am::plugin_section(host));
}

// The account from the store (id or nickname of this plugin's accounts).
Account load_account(const am::host &host, const std::string &name) {
  return twitter::parse_account(
      plugin_support::account_record(host, name, "X account '" + name + "'"));
}

// The action's account: --account, or the only account there is.
Account action_account(const am::host &host, const am::args &args) {
  const plugin_support::AccountChoice choice = plugin_support::choose_account(host, args);
  if (choice.account_json) return twitter::parse_account(*choice.account_json);
  throw am::error(AM_INVALID_ARGUMENT,
                  "choose an X account with --account (see `automuse-host accounts list "
                  "--plugin twitter`)");
}

am::task<std::string> run_action(am::job job, am::action_request request) {
  const am::args args(job.host_ref(), request.call);
  twitter::PluginSettings settings = load_settings(job.host_ref());
  Account account = action_account(job.host_ref(), args);
  std::string text = args.option("text", "");
  std::string video = args.option("video", "");
  if (request.action == "run") {
    if (!job.host_ref().find<am_llm>(AM_LLM_SERVICE_ID))
      throw am::error(AM_UNSUPPORTED,
                      "this host has no LLM service to write the post: give it with "
                      "`post --text \"...\"`");
    auto write = twitter::write_post(job, account, settings);
    text = co_await std::move(write);
  }
  // Through the publish registry, to this plugin's own publisher: the host records the post
  // in its publication ledger, so the same text is not posted twice to the account.
  am::publisher_client publish(job.host_ref());
  am::publish_content content;
  content.text = std::move(text);
  content.media_path = std::move(video);
  auto send = publish.send(job, "twitter", account.id, std::move(content));
  am::published p = co_await std::move(send);
  co_return p.result_json;
}

// ---- publisher for "automuse.publish/1"

// One publication through the registry: the account read at once (an unknown one is refused
// before anything is sent), then the post.
am::task<std::string> start_post(am::job job, const std::string &account_name,
                                 const am_publish_content &content, twitter::StopFlag stop) {
  Account account = load_account(g_host, account_name);
  std::string text = am::to_string(content.text);
  std::string media = am::to_string(content.media_path);
  auto settings = load_settings(g_host);
  return plugin_support::result_json(
      twitter::publish_post(job, settings, account, std::move(text), std::move(media),
                            std::move(stop)),
      [account](const twitter::Published &p) { return twitter::published_json(p, account); });
}

am_status twitter_init(const am_host *host) {
  return am::guard([&] {
    g_host = am::host(host);
    g_host.service<am_job_service>(AM_JOB_SERVICE_ID);
    // X's text rules, for other plugins (1.4).
    g_publisher.register_with(g_host, AM_PUBLISH_TEXT | AM_PUBLISH_VIDEO, start_post,
                              {&twitter::publisher_text_length, &twitter::publisher_fit_text});
  });
}

void twitter_deinit() {
  g_publisher.unregister();
  g_host = am::host();
}

// The auth action's options are those every plugin's auth action reads (plugin_support).
am_str twitter_describe() {
  static const char kDescription[] = R"json({
  "description": "Writes and publishes posts on X through the API v2 (OAuth 1.0a or OAuth 2)",
  "account_fields": [
    {"name": "topic", "type": "string", "required": true, "help": "What the account posts about"},
    {"name": "language", "type": "string", "default": "English", "help": "Language of the posts"},
    {"name": "hashtags", "type": "string", "enum": ["none", "few"], "default": "none",
     "help": "none, or a few relevant hashtags"},
    {"name": "client_id", "type": "string", "help": "OAuth 2 client id, to refresh tokens"},
    {"name": "consumer_key", "type": "string", "secret": true, "help": "OAuth 1.0a API key"},
    {"name": "consumer_secret", "type": "string", "secret": true, "help": "OAuth 1.0a API key secret"},
    {"name": "access_token", "type": "string", "secret": true, "help": "OAuth 1.0a access token"},
    {"name": "access_token_secret", "type": "string", "secret": true, "help": "OAuth 1.0a access token secret"},
    {"name": "bearer_token", "type": "string", "secret": true, "help": "OAuth 2 user access token"},
    {"name": "refresh_token", "type": "string", "secret": true, "help": "OAuth 2 refresh token"}
  ],
  "actions": [
    {"name": "run", "summary": "Write a post about the account's topic with the LLM and publish it",
     "options": []},
    {"name": "post", "summary": "Publish a given text, optionally with a video",
     "options": [{"name": "text", "type": "string", "help": "The post's text"},
                 {"name": "video", "type": "string", "help": "An MP4 file to attach"}]},
    {"name": "auth", "summary": "Authorise the account with OAuth 2.0 in a browser (automuse-host auth twitter --account A)",
     "options": )json";
  static const char kTail[] = R"json(}
  ],
  "publishes": ["text", "video"]
})json";
  static const std::string text =
      kDescription + std::string(plugin_support::auth_options_json()) + kTail;
  return am::to_am_str(text);
}

am_status twitter_start_action(const am_action_call *call) {
  const auto action = am::view(call->action);
  if (action == "auth") return am::start_coroutine_action(g_host.get(), call, twitter::auth_action);
  if (action != "run" && action != "post") return AM_UNSUPPORTED;
  return am::start_coroutine_action(g_host.get(), call, run_action);
}

}  // namespace

extern "C" AM_EXPORT const am_plugin_entry automuse_plugin_entry = {
    AM_ABI_VERSION_INIT, sizeof(am_plugin_entry), "twitter",        "X (Twitter)",       "0.1.0",
    twitter_init,        twitter_deinit,          twitter_describe, twitter_start_action};
