// automuse/cpp/config.hpp — C++ access to "automuse.config/1": the plugin's section of
// automuse.json as text and its data folder, so a plugin reads
//
//   std::string section = am::plugin_section(host);   // "{}" when there is none
//   MySettings s = parse_my_settings(section);        // with the JSON library of your choice
//
// The SDK parses no JSON itself (a plugin needs no particular JSON library).
#pragma once

#include <automuse/config.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <string>

namespace am {

// The calling plugin's section, `plugins.<id>` of automuse.json, as JSON text, with
// {"env": "NAME"} values already replaced. "{}" when the host has no configuration service
// or cannot give the section: a plugin then runs on its defaults. Any thread.
inline std::string plugin_section(const host &h) {
  const auto *config = h.find<am_config>(AM_CONFIG_SERVICE_ID);
  if (!config) return "{}";
  buffer section;
  if (config->plugin_section(h.get(), section.out()) != AM_OK) return "{}";
  return section.str();
}

// The folder for the calling plugin's own files (created if missing). Throws am::error when
// the host has no configuration service or no folder for the plugin. Any thread.
inline std::string plugin_data_dir(const host &h) {
  const auto &config = h.service<am_config>(AM_CONFIG_SERVICE_ID);
  buffer path;
  check(config.data_dir(h.get(), path.out()), "config: no data folder for the plugin");
  return path.str();
}

}  // namespace am
