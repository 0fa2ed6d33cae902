// host/app/host_context.hpp — everything one automuse-host process sets up from its global
// options: configuration, logging, the runtime, and the registry of services that plugins
// see. Commands take a HostContext and use what they need.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cache/cache.hpp"
#include "cache/cache_service.hpp"
#include "config/config.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "http/http_client.hpp"
#include "http/http_service.hpp"
#include "images/images_service.hpp"
#include "ledger/ledger_service.hpp"
#include "ledger/publication_ledger.hpp"
#include "llm/llm_host.hpp"
#include "oauth/oauth_service.hpp"
#include "plugins/plugin_module.hpp"
#include "publish/publish_registry.hpp"
#include "speech/speech_service.hpp"
#include "store/store.hpp"
#include "store/store_service.hpp"

namespace automuse::app {

struct GlobalOptions {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::filesystem::path> plugin_dir;
  int verbosity = 0;  // -v: +1 each, -q: -1
  bool log_json = false;
};

class HostContext {
 public:
  // Reads the configuration (throws config::ConfigError) and sets up logging.
  explicit HostContext(GlobalOptions options);
  ~HostContext();

  const GlobalOptions &options() const noexcept { return options_; }
  const config::Config &config() const noexcept { return config_; }
  std::filesystem::path data_dir() const;
  // Where the shared state lives: PostgreSQL when `store.url` is set, else
  // <data_dir>/automuse.db.
  store::Location store_location() const;

  // The runtime and service registry, created on first use (commands that only read files
  // never start threads).
  core::Runtime &runtime();
  core::ServiceRegistry &services();

  // The store (store_location()) and the cache under the data folder, opened on first use.
  // Throw sqlite::Error (store::StoreError) with a message naming the file or server.
  // The LLM service, created with services(). Throws llm::am::error for a bad llm section.
  llm::LlmHost &llm();

  store::Store &store();
  cache::Cache &cache();
  // The publication ledger in the store's database, opened on first use.
  ledger::PublicationLedger &ledger();

  // Plugin `id`, found like `--plugin id` and initialised once per process: a second caller
  // (the action runner, or the publish registry loading a publisher another plugin asked
  // for) gets the same module, so a plugin's init never runs twice. Thread-safe. Throws
  // plugins::PluginError naming the plugin.
  std::shared_ptr<plugins::PluginModule> plugin(const std::string &id);

 private:
  GlobalOptions options_;
  config::Config config_;
  std::unique_ptr<core::Runtime> runtime_;
  std::unique_ptr<core::ServiceRegistry> services_;
  std::unique_ptr<http::HttpClient> http_client_;
  std::unique_ptr<http::HttpService> http_service_;
  std::unique_ptr<oauth::OAuthService> oauth_service_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<store::StoreService> store_service_;
  std::unique_ptr<ledger::PublicationLedger> ledger_;  // outlives the registry that records
  std::unique_ptr<ledger::LedgerService> ledger_service_;
  std::unique_ptr<publish::PublishRegistry> publish_registry_;
  std::unique_ptr<cache::CacheService> cache_service_;
  std::unique_ptr<speech::SpeechService> speech_service_;
  std::unique_ptr<images::ImagesService> images_service_;
  std::recursive_mutex plugins_mutex_;  // recursive: an init may ask for a publisher
  std::map<std::string, std::weak_ptr<plugins::PluginModule>> plugins_;
  std::unique_ptr<llm::LlmHost> llm_;  // declared last: destroyed before http and the cache
};

}  // namespace automuse::app
