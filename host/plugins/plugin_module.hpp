// host/plugins/plugin_module.hpp — one loaded plugin library: loaded with Boost.DLL
// (RTLD_NOW | RTLD_LOCAL), its entry symbol checked and its ABI negotiated before any of its
// code runs, then initialised. Held by shared ownership: every job the plugin runs keeps
// the module alive, so the library is unloaded only after the last operation it made has
// completed. Destruction calls deinit, then unloads.
#pragma once

#include "core/services.hpp"

#include <automuse/plugin.h>

#include <boost/json/value.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace automuse::plugins {

// A plugin that could not be found, loaded or initialised. what() is one line naming the file
// and the cause; status() is the status word a run reports: AM_NOT_FOUND when there is no such
// plugin, the plugin's own status when its init failed, AM_ERROR otherwise.
class PluginError : public std::runtime_error {
 public:
  explicit PluginError(const std::string &message, am_status status = AM_ERROR)
      : std::runtime_error(message), status_(status) {}
  PluginError(const std::string &message, std::string plugin_id, am_status status = AM_ERROR)
      : std::runtime_error(message), status_(status), plugin_id_(std::move(plugin_id)) {}
  am_status status() const noexcept { return status_; }
  // The plugin's id when the file could be read far enough to tell it safely; else empty.
  const std::string &plugin_id() const noexcept { return plugin_id_; }

 private:
  am_status status_;
  std::string plugin_id_;
};

// The plugin's self-description (from describe()) plus where it came from.
struct PluginInfo {
  std::string id, name, version;
  am_version abi{};
  std::filesystem::path path;
  boost::json::object description;  // parsed describe() JSON
  std::vector<std::string> actions() const;
  // {id, name, version, abi, path, actions: [name...], options: {action: [{name, type, help}]},
  //  description, publishes, account_fields}
  boost::json::object to_json() const;
};

class PluginModule {
 public:
  // Load and verify without running plugin code other than the library's static
  // initialisers. Throws PluginError.
  static std::shared_ptr<PluginModule> open(const std::filesystem::path &path);

  ~PluginModule();
  PluginModule(const PluginModule &) = delete;
  PluginModule &operator=(const PluginModule &) = delete;

  const am_plugin_entry &entry() const noexcept { return *entry_; }
  const std::filesystem::path &path() const noexcept { return path_; }
  std::string id() const { return entry_->id ? entry_->id : ""; }

  // Call the plugin's init with a host made from `services` and `runtime`, then read and
  // check describe(). Throws PluginError (naming the plugin) if init fails — "<id>: init failed
  // (<status word>): <the plugin's reason>" with the init's status — or if the description is
  // not a JSON object or declares bad options (action_options.hpp). Main thread, once.
  void initialise(core::ServiceRegistry &services, core::Runtime &runtime);
  bool initialised() const noexcept { return initialised_; }

  const PluginInfo &info() const noexcept { return info_; }
  const am_host *host() const noexcept { return context_ ? &context_->host : nullptr; }

 private:
  PluginModule() = default;
  struct Library;  // Boost.DLL stays out of this header
  std::unique_ptr<Library> library_;
  const am_plugin_entry *entry_ = nullptr;
  std::filesystem::path path_;
  std::unique_ptr<core::PluginContext> context_;
  PluginInfo info_;
  bool initialised_ = false;
};

// "1.3"
std::string to_string(am_version v);

}  // namespace automuse::plugins
