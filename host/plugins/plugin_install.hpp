// host/plugins/plugin_install.hpp — `plugins install`: a plugin file copied into the user's
// plugin folder. The source is opened once and copied through that descriptor into a
// temporary file beside the destination; the probe checks that copy, and only then is it
// renamed into place, so the installed bytes are exactly the checked ones whatever happens to
// the source path meanwhile.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace automuse::plugins {

struct InstallRequest {
  std::filesystem::path source;
  std::filesystem::path user_dir;  // where it goes
  bool replace = false;            // replace an installed copy with the same id
  bool replace_bundled = false;    // shadow a plugin that comes with AutoMuse
};

struct Installed {
  std::string id, version;
  std::filesystem::path file;
  std::optional<std::filesystem::path> replaced;  // a user copy it replaced
  std::optional<std::filesystem::path> shadowed;  // a bundled copy it now takes precedence over
};

// Throws PluginError with a one-line message naming the file (and the plugin id once known).
Installed install_plugin(const InstallRequest &request);

}  // namespace automuse::plugins
