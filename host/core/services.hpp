// host/core/services.hpp — the registry behind am_host::get_service, and the per-plugin
// context each plugin's am_host points to (its id, for log names, config and store scope).
#pragma once

#include <automuse/host.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace automuse::core {

class Runtime;

// Service tables by versioned id ("automuse.http/1"). Tables are static or owned by the
// service objects, which outlive every plugin.
class ServiceRegistry {
 public:
  void add(std::string id, const void *table);
  const void *find(const std::string &id) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, const void *> tables_;
};

// What the host knows about one loaded plugin; am_host::host_data points here.
struct PluginContext {
  std::string plugin_id;     // "youtube"
  ServiceRegistry *services;  // shared by all plugins
  Runtime *runtime;
  am_host host;  // given to the plugin; host.host_data == this
  // The reason a failing init gave with host.set_init_failure; recorded only while
  // `in_init` (main thread: init and its caller only).
  bool in_init = false;
  std::string init_failure;
};

// A context whose am_host is ready to hand to a plugin (or to a test acting as one).
std::unique_ptr<PluginContext> make_plugin_context(std::string plugin_id,
                                                   ServiceRegistry &services,
                                                   Runtime &runtime);

// The context behind an am_host made by make_plugin_context.
inline PluginContext &context_of(const am_host *host) {
  return *static_cast<PluginContext *>(host->host_data);
}

}  // namespace automuse::core
