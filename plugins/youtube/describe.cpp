// plugins/youtube/describe.cpp — the describe() document. "run" and "generate" take the same
// options but for --publish: they are written once. "publish" publishes a kept Short.
#include "describe.hpp"

#include <string>

#include "auth_steps.hpp"

namespace youtube {

namespace {

constexpr const char *kHead = R"json({
  "description": "YouTube Shorts: from a niche (or your own script) to a rendered Short with voice, pictures and word-highlighted subtitles, kept in the outbox or uploaded through the YouTube Data API",
  "account_fields": [
    {"name": "niche", "type": "string", "required": true, "help": "What the channel is about; topics are drawn from it"},
    {"name": "language", "type": "string", "default": "en", "help": "Language of the scripts and the voice (BCP-47, e.g. en, de, pt-BR)"},
    {"name": "voice", "type": "string", "help": "Speech voice (espeak-ng voice such as en-us+f3); empty: the language's default"},
    {"name": "image_providers", "type": "string", "help": "Image provider order, comma-separated (openai, gemini, pexels, folder, cards); empty: the host's order"},
    {"name": "privacy", "type": "string", "enum": ["private", "unlisted", "public"], "default": "private", "help": "Privacy of uploaded videos"},
    {"name": "made_for_kids", "type": "boolean", "default": false, "help": "Declare the videos made for kids (COPPA)"},
    {"name": "music_dir", "type": "string", "help": "Folder of background music; empty: the plugin's configured music_dir, or none"},
    {"name": "subtitle_style", "type": "string", "help": "Subtitle preset (yellow, white, green, pink) or JSON {font,size,color,highlight_color,outline_color,bold,max_lines}"},
    {"name": "refresh_token", "type": "string", "secret": true, "help": "A Google OAuth refresh token with the youtube.upload scope, if you have one; otherwise run `automuse-host auth youtube`"},
    {"name": "max_duration", "type": "number", "minimum": 5, "maximum": 180, "default": 60, "help": "Longest Short in seconds"}
  ],
  "actions": [
)json";

// The options before and after --publish, shared by "run" and "generate".
constexpr const char *kOptionsBefore = R"json(
       {"name": "topic", "type": "string", "help": "What the Short is about (default: the LLM picks from the niche)"},
       {"name": "script", "type": "string", "help": "A script file to read instead of writing one"},
       {"name": "title", "type": "string", "help": "The video's title (at most 100 characters)"},
)json";
constexpr const char *kOptionsAfter = R"json(
       {"name": "aspect", "type": "string", "enum": ["9:16", "16:9", "1:1"], "help": "Frame shape (default 9:16)"},
       {"name": "speed-up", "type": "boolean", "help": "Allow speaking up to 1.25x faster to fit the maximum duration"},
       {"name": "also-publish", "type": "string", "help": "Also share the Short through another plugin, as PLUGIN:ACCOUNT (e.g. twitter:main; comma-separated for several): its link after an upload, else the video"},
       {"name": "width", "type": "integer", "help": "Frame width in pixels, even, 64..4096 (with --height; default from --aspect)"},
       {"name": "height", "type": "integer", "help": "Frame height in pixels, even, 64..4096 (with --width)"},
       {"name": "outbox", "type": "string", "help": "Folder to keep the video in (default: the plugin's outbox)"},
       {"name": "sentences", "type": "integer", "minimum": 1, "maximum": 30, "help": "How many sentences the written script has"}
)json";

// "approval": how the host splits run when the job must wait for approval (docs/web.md):
// generate makes it, publish publishes what generate made.
constexpr const char *kRun =
    R"json({"name": "run", "summary": "Make a Short and upload it to the account's YouTube channel (with --publish outbox: make it and keep it in the outbox, no upload)",
     "approval": {"make": "generate", "publish": "publish", "publish_options": ["publish", "also-publish"]},
     "options": [)json";
constexpr const char *kRunPublish =
    R"json({"name": "publish", "type": "string", "enum": ["youtube", "outbox"], "help": "youtube (the default): upload the Short; outbox: a dry run that only makes it and keeps it in the outbox"},)json";
constexpr const char *kGenerate =
    R"json({"name": "generate", "summary": "Make a Short and keep it in the outbox (no upload)",
     "options": [)json";
constexpr const char *kGeneratePublish =
    R"json({"name": "publish", "type": "string", "enum": ["outbox"], "help": "Always the outbox: generate never uploads (use run to upload)"},)json";

constexpr const char *kPublish =
    R"json(    {"name": "publish", "summary": "Publish a Short the outbox holds (made by generate, or held for approval): upload it to the account's channel exactly once through the publication ledger, and share it with --also-publish",
     "options": [
       {"name": "item", "type": "string", "required": true, "help": "The Short to publish: its history id (automuse-host history --plugin youtube --json)"},
       {"name": "publish", "type": "string", "enum": ["youtube", "outbox"], "help": "youtube (the default): upload it; outbox: upload nothing, only share it with --also-publish"},
       {"name": "also-publish", "type": "string", "help": "Also share the Short through another plugin, as PLUGIN:ACCOUNT (e.g. twitter:main; comma-separated for several): its link after an upload, else the video"}
     ]},
)json";
constexpr const char *kAuth =
    R"json(    {"name": "auth", "summary": "Authorise the account for uploads with Google in a browser (automuse-host auth youtube --account A)",
     "options": )json";
constexpr const char *kTail = R"json(}
  ],
  "publishes": ["video"]
})json";

std::string short_action(const char *action, const char *publish) {
  return std::string("    ") + action + kOptionsBefore + "       " + publish + kOptionsAfter +
         "     ]},\n";
}

std::string document() {
  return std::string(kHead) + short_action(kRun, kRunPublish) +
         short_action(kGenerate, kGeneratePublish) + kPublish + kAuth +
         std::string(plugin_support::auth_options_json()) + kTail;
}

}  // namespace

am_str describe_json() {
  static const std::string text = document();
  return am_str{text.data(), text.size()};
}

}  // namespace youtube
