// host/publish/publish_registry.hpp — "automuse.publish/1": the registry of publishers
// (plugins that can post text or upload video) and the publications started through it, each
// an operation of the caller's job so it completes exactly once and is cancelled with it.
#pragma once

#include <automuse/publish.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/services.hpp"

namespace automuse::publish {

class PublishRegistry {
 public:
  // Asked for a plugin id nobody registered yet: may load and initialise that plugin (which
  // registers itself from its init). Returns what must stay alive while the plugin is in use
  // (its loaded module), kept until the registry is destroyed; nullptr when it cannot.
  using Loader = std::function<std::shared_ptr<const void>(const std::string &plugin_id)>;

  PublishRegistry();
  ~PublishRegistry();
  PublishRegistry(const PublishRegistry &) = delete;
  PublishRegistry &operator=(const PublishRegistry &) = delete;

  // Adds the table under AM_PUBLISH_SERVICE_ID. The registry must outlive every plugin.
  void register_in(core::ServiceRegistry &registry) const;
  const am_publish *table() const { return &table_; }

  void set_loader(Loader loader);
  // Drops what the loader returned (deinitialising plugins loaded on demand) and the loader.
  // The owner calls it before tearing down the services those plugins use. Main thread.
  void release_loaded();

  // The C++ side of the table (also used by the host itself).
  am_status add(const std::string &plugin_id, const am_publisher &publisher, std::string &error);
  void remove(const std::string &plugin_id);
  // AM_OK, AM_NOT_FOUND or AM_UNSUPPORTED, with a message naming the plugin on failure.
  am_status find(const std::string &plugin_id, am_publish_kinds kinds, std::string &error);
  std::string list_json() const;

 private:
  static PublishRegistry &of(const am_host *host);

  am_publish table_;  // first member: the registry's pointer is also a pointer to this object
  mutable std::mutex mutex_;
  std::map<std::string, am_publisher> publishers_;
  Loader loader_;
  std::map<std::string, std::shared_ptr<const void>> loaded_;
};

// Names of kinds for messages and JSON ("text", "video").
std::string kinds_text(am_publish_kinds kinds);

}  // namespace automuse::publish
