// plugins/youtube/settings.hpp — what one action was asked to do: the account's fields (or a
// default pseudo-account), the action's options and the plugin's section of automuse.json,
// parsed and checked up front so every bad input is a clear error naming its field or path.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace youtube {

struct Account {
  std::string id;        // empty for the pseudo-account
  std::string nickname;  // "default" for the pseudo-account
  bool pseudo = false;
  std::string niche;
  std::string language = "en";
  std::string voice;            // empty: the speech service picks one for the language
  std::string image_providers;  // comma-separated order; empty: the host's default
  std::string privacy = "private";
  bool made_for_kids = false;
  std::string music_dir;       // empty: the plugin's configured music_dir, if any
  std::string subtitle_style;  // preset name or JSON object text; empty: the default
  double max_duration = 60;    // seconds; YouTube takes Shorts up to 180
};

struct Options {
  std::string topic;
  std::string script_file;
  std::string title;
  std::string publish = "outbox";  // "youtube" (the default of `run`) or "outbox"
  std::string aspect = "9:16";
  int width = 0;  // hidden test/power options: override the canvas size (even numbers)
  int height = 0;
  bool speed_up = false;   // allow speeding the voice up, at most 1.25x, to fit max_duration
  std::string outbox_dir;  // where job folders go; empty: config, then the data folder
  int sentences = 0;       // LLM script length; 0 = 6
  std::vector<std::string> also_publish;  // "PLUGIN:ACCOUNT" targets to share the Short with
  std::string item;                       // `publish`: the history id of the kept Short to publish
};

// The plugin's section of automuse.json (`plugins.youtube`).
struct PluginConfig {
  std::string music_dir;
  std::string outbox_dir;
  std::string image_providers;
  double max_duration = 0;  // 0: the account's / the default
};

struct ActionSettings {
  Account account;
  Options options;
  PluginConfig config;
};

// Parses the action's args_json ({"account", "options", "args"}) and the plugin's config
// section. Throws am::error(AM_INVALID_ARGUMENT) naming the field: an account without its
// niche, an unknown option, a bad enum value, a non-numeric size.
ActionSettings parse_settings(const std::string &action, const std::string &args_json,
                              const std::string &config_json);

// A niche for the pseudo-account: the title's or topic's words.
std::string niche_from(const std::string &title, const std::string &topic);

}  // namespace youtube
