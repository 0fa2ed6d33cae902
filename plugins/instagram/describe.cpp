// plugins/instagram/describe.cpp — the describe() document. The auth action's options are those
// every plugin's auth action reads (plugins/plugin_support).
#include "describe.hpp"

#include "auth_steps.hpp"

namespace instagram {

namespace {

constexpr const char *kHead = R"json({
  "description": "Publishes Shorts as Instagram Reels through the Instagram API with Instagram Login (a professional account; no Facebook Page needed)",
  "account_fields": [
    {"name": "app_id", "type": "string", "help": "The Instagram app ID of your Meta app (App Dashboard > Instagram > API setup with Instagram login)"},
    {"name": "app_secret", "type": "string", "secret": true, "help": "The Instagram app secret of that app"},
    {"name": "publish_folder", "type": "string", "help": "A folder your web server publishes; Reels are copied there for Instagram to download (with public_url_prefix)"},
    {"name": "public_url_prefix", "type": "string", "help": "The public https URL at which publish_folder is served, e.g. https://media.example.com/reels"},
    {"name": "upload", "type": "string", "enum": ["auto", "resumable", "video_url"], "default": "auto", "help": "auto: upload the bytes directly, or by URL when Instagram refuses that for this login; resumable; video_url"},
    {"name": "share_to_feed", "type": "boolean", "default": true, "help": "Also show the Reel in the profile's feed"}
  ],
  "actions": [
    {"name": "post", "summary": "Publish a video as a Reel",
     "options": [{"name": "video", "type": "string", "required": true, "help": "The MP4 file to publish"},
                 {"name": "caption", "type": "string", "help": "The Reel's caption"},
                 {"name": "title", "type": "string", "help": "A title naming the Reel in AutoMuse's records (not shown on Instagram)"}]},
    {"name": "check", "summary": "Check a video against Instagram's Reel rules without publishing it",
     "options": [{"name": "video", "type": "string", "required": true, "help": "The MP4 file to check"}]},
    {"name": "auth", "summary": "Log the account in with Instagram Login in a browser (automuse-host auth instagram --account A)",
     "options": )json";
constexpr const char *kTail = R"json(}
  ],
  "publishes": ["video"]
})json";

}  // namespace

const std::string &description_json() {
  static const std::string text = kHead + std::string(plugin_support::auth_options_json()) + kTail;
  return text;
}

}  // namespace instagram
