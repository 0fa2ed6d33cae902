// host/publish/publish_registry.hpp — "automuse.publish/1": the registry of publishers
// (plugins that can post text or upload video) and the publications started through it, each
// an operation of the caller's job so it completes exactly once and is cancelled with it.
#pragma once

#include <automuse/publish.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/services.hpp"
#include "ledger/publication_ledger.hpp"

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

  // The table to register under AM_PUBLISH_SERVICE_ID. The registry must outlive every plugin.
  const am_publish *table() const { return &table_; }

  void set_loader(Loader loader);

  // Every publication through the registry is recorded in `ledger` (publish_ledger.hpp), and
  // content the ledger says is already published to that account is not handed to the
  // publisher again (unless the job runs with --again). The ledger must outlive the registry's
  // use; nullptr (the default) records nothing. Set before plugins publish.
  void set_ledger(ledger::PublicationLedger *ledger) { ledger_ = ledger; }

  // plugin.h promises a plugin's init runs on the main thread, but a publisher is asked for
  // from a job's I/O thread. Once a main thread is set, a load needed on any other thread is
  // handed to it through `post` (which runs the function on that thread, later) and waited
  // for. The main thread must not block on the I/O threads while it runs jobs, or the two
  // would wait on each other: if it has not begun the load within `wait`, the load is
  // abandoned (never run) and the lookup fails with a message saying so. Without a main
  // thread set, or on that thread, the loader runs in place. Any thread.
  using Post = std::function<void(std::function<void()>)>;
  void set_main_thread(std::thread::id main, Post post,
                       std::chrono::milliseconds wait = std::chrono::seconds(30));
  void clear_main_thread();

  // The registry behind the "automuse.publish/1" table of `services`; nullptr when none.
  static PublishRegistry *in(const core::ServiceRegistry &services);
  // Drops what the loader returned (deinitialising plugins loaded on demand) and the loader.
  // The owner calls it before tearing down the services those plugins use. Main thread.
  void release_loaded();

  // The C++ side of the table (also used by the host itself). `publisher` is full-size: an
  // older plugin's shorter struct is copied into one first (its struct_size kept).
  am_status add(const std::string &plugin_id, const am_publisher &publisher, std::string &error);
  void remove(const std::string &plugin_id);
  // AM_OK, AM_NOT_FOUND or AM_UNSUPPORTED, with a message naming the plugin on failure.
  am_status find(const std::string &plugin_id, am_publish_kinds kinds, std::string &error);
  std::string list_json() const;
  // The publisher `plugin_id` (loaded if needed) when it offers text rules (SDK 1.4); else
  // AM_NOT_FOUND or AM_UNSUPPORTED with a message naming the plugin.
  am_status text_rules(const std::string &plugin_id, am_publisher &out, std::string &error);

 private:
  static PublishRegistry &of(const am_host *host);
  static void add_text_rules(am_publish &table);
  // Runs `loader` for `plugin_id` where plugins are loaded (see set_main_thread). Throws the
  // loader's error, or one saying the main thread did not get to it.
  std::shared_ptr<const void> load(const Loader &loader, const std::string &plugin_id);

  am_publish table_;  // first member: the registry's pointer is also a pointer to this object
  ledger::PublicationLedger *ledger_ = nullptr;
  mutable std::mutex mutex_;
  std::map<std::string, am_publisher> publishers_;
  Loader loader_;
  std::map<std::string, std::shared_ptr<const void>> loaded_;
  std::thread::id main_thread_;
  Post post_to_main_;
  std::chrono::milliseconds main_wait_{0};
};

// Names of kinds for messages and JSON ("text", "video").
std::string kinds_text(am_publish_kinds kinds);

}  // namespace automuse::publish
