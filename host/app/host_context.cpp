// host/app/host_context.cpp — configuration, logging and service registration.
#include "app/host_context.hpp"

#include <automuse/config.h>
#include <automuse/job.h>
#include <automuse/log.h>

#include "app/plugin_commands.hpp"
#include "config/config_service.hpp"
#include "config/limits.hpp"
#include "config/paths.hpp"
#include "core/job_service.hpp"
#include "images/images_setup.hpp"
#include "log/log_service.hpp"
#include "log/logging.hpp"
#include "plugins/action_call.hpp"
#include "render_service/render_service.hpp"
#include "speech/speech_setup.hpp"

namespace automuse::app {
namespace fs = std::filesystem;

HostContext::HostContext(GlobalOptions options) : options_(std::move(options)) {
  if (auto path = config::Config::locate(options_.config_file))
    config_ = config::Config::load(*path);
  for (auto &secret : config_.secrets()) log::add_secret(secret);

  log::Options lo;
  int level = static_cast<int>(spdlog::level::info) - options_.verbosity;
  if (auto *v = config_.find("log.level"); v && v->is_string() && options_.verbosity == 0)
    level = static_cast<int>(spdlog::level::from_str(std::string(v->as_string())));
  lo.console_level = static_cast<spdlog::level::level_enum>(std::clamp(
      level, static_cast<int>(spdlog::level::trace), static_cast<int>(spdlog::level::off)));
  lo.json = options_.log_json;
  if (auto *v = config_.find("log.json"); v && v->is_bool() && v->as_bool()) lo.json = true;
  bool file = true;
  if (auto *v = config_.find("log.file"); v && v->is_bool()) file = v->as_bool();
  if (file) lo.file = data_dir() / "logs" / "automuse.log";
  log::setup(lo);
}

HostContext::~HostContext() {
  // Publishers loaded on demand are deinitialised while every service is still there.
  if (publish_registry_) publish_registry_->release_loaded();
  // Services first (they may hold sockets on the io_context), then the threads.
  images_service_.reset();
  speech_service_.reset();
  oauth_service_.reset();
  http_service_.reset();
  http_client_.reset();
  if (runtime_) runtime_->stop();
}

fs::path HostContext::data_dir() const {
  if (auto *v = config_.find("data_dir"); v && v->is_string() && !v->as_string().empty())
    return fs::path(std::string(v->as_string()));
  return config::data_home();
}

core::Runtime &HostContext::runtime() {
  if (!runtime_) {
    unsigned workers = 0;
    if (auto *v = config_.find("limits.renders"); v && v->is_number())
      workers = static_cast<unsigned>(std::max(0.0, v->to_number<double>()));
    // Renders and other CPU-heavy steps run below the threads that answer people (the web
    // API, the command line's output): limits.worker_nice, 10 by default.
    int nice = 10;
    if (auto *v = config_.find("limits.worker_nice"); v && v->is_number())
      nice = static_cast<int>(std::clamp(v->to_number<double>(), 0.0, 19.0));
    runtime_ = std::make_unique<core::Runtime>(1, workers, nice);
  }
  return *runtime_;
}

store::Location HostContext::store_location() const {
  if (auto *v = config_.find("store.url"); v && v->is_string() && !v->as_string().empty())
    return store::Location::postgresql(std::string(v->as_string()));
  return data_dir() / "automuse.db";
}

store::Store &HostContext::store() {
  if (!store_) store_ = std::make_unique<store::Store>(store_location());
  return *store_;
}

ledger::PublicationLedger &HostContext::ledger() {
  if (!ledger_) {
    store();  // creates and migrates the database first
    ledger_ = std::make_unique<ledger::PublicationLedger>(store_location());
  }
  return *ledger_;
}

cache::Cache &HostContext::cache() {
  if (!cache_) {
    cache::CacheOptions options;
    if (auto *v = config_.find("cache.max_size_mb"); v && v->is_number())
      options.max_bytes = static_cast<uint64_t>(v->to_number<double>() * 1024 * 1024);
    cache_ = std::make_unique<cache::Cache>(data_dir() / "cache", options);
  }
  return *cache_;
}

core::ServiceRegistry &HostContext::services() {
  if (!services_) {
    services_ = std::make_unique<core::ServiceRegistry>();
    runtime();
    services_->add(AM_LOG_SERVICE_ID, log::log_service());
    services_->add(AM_JOB_SERVICE_ID, core::job_service());
    services_->add(AM_ARGS_SERVICE_ID, plugins::args_service());
    services_->add(AM_CONFIG_SERVICE_ID, config::config_service(config_, data_dir()));

    http::ClientConfig hc;
    auto str = [&](const char *path) {
      auto *v = config_.find(path);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    auto num = [&](const char *path, long fallback) {
      auto *v = config_.find(path);
      return v && v->is_number() ? static_cast<long>(v->to_number<double>()) : fallback;
    };
    hc.proxy = str("http.proxy");
    hc.ca_bundle = str("http.ca_bundle");
    hc.max_total_connections = num("http.max_connections", 64);
    hc.max_host_connections = num("http.max_connections_per_host", 8);
    // URLs users type (AM_HTTP_USER_URL) reach public addresses only unless this says so.
    if (auto *v = config_.find("http.allow_private_addresses"); v && v->is_bool())
      hc.user_urls.allow_private = v->as_bool();
    // Every body from outside and every upload is capped (automuse.json's limits section).
    const config::Limits limits = config::read_limits(config_);
    hc.limits.memory.bytes = limits.response_body_bytes;
    hc.limits.file.bytes = limits.video_download_bytes;
    hc.limits.image.bytes = limits.image_download_bytes;
    hc.limits.video.bytes = limits.video_download_bytes;
    hc.limits.audio.bytes = limits.audio_download_bytes;
    hc.limits.upload.bytes = limits.upload_bytes;
    hc.log = [](int level, std::string_view line) {
      log::write("http", log::to_spdlog(static_cast<am_log_level>(level)), line);
    };
    http_client_ = std::make_unique<http::HttpClient>(runtime().io(), hc);
    // Every request is bounded unless it says otherwise (http_service.hpp).
    auto millis = [&](const char *path, double fallback_seconds) {
      auto *v = config_.find(path);
      const double s = v && v->is_number() ? v->to_number<double>() : fallback_seconds;
      return http::Millis(static_cast<int64_t>(s * 1000));
    };
    http::RequestDefaults bounds;
    bounds.total = millis("http.timeout_seconds", 300);
    bounds.low_speed_time = millis("http.stall_seconds", 60);
    http_service_ = std::make_unique<http::HttpService>(*http_client_, bounds);
    services_->add(AM_HTTP_SERVICE_ID, http_service_->table());
    oauth_service_ = std::make_unique<oauth::OAuthService>(http_service_->table());
    services_->add(AM_OAUTH_SERVICE_ID, oauth_service_->table());
    render_service::configure({.encoder = str("render.encoder")});
    services_->add(AM_RENDER_SERVICE_ID, render_service::render_service());

    store_service_ = std::make_unique<store::StoreService>(store());
    services_->add(AM_STORE_SERVICE_ID, store_service_->table());
    publish_registry_ = std::make_unique<publish::PublishRegistry>();
    services_->add(AM_PUBLISH_SERVICE_ID, publish_registry_->table());
    publish_registry_->set_ledger(&ledger());
    ledger_service_ = std::make_unique<ledger::LedgerService>(ledger());
    services_->add(AM_LEDGER_SERVICE_ID, ledger_service_->table());
    // A plugin asking for a publisher (afm sharing through "twitter") that is not loaded yet
    // gets it loaded here, found the way `--plugin ID` finds it.
    publish_registry_->set_loader(
        [this](const std::string &id) -> std::shared_ptr<const void> { return plugin(id); });
    cache_service_ = std::make_unique<cache::CacheService>(cache());
    services_->add(AM_CACHE_SERVICE_ID, cache_service_->table());
    // automuse.json's speech and images sections: default providers and the network ones. A
    // bad setting is logged (config check names it) and leaves the offline defaults working.
    auto section = [this](const char *name) {
      const boost::json::value *v = config_.find(name);
      return v ? config::resolve_env(*v) : boost::json::value();
    };
    const boost::json::value speech_section = section("speech"), images_section = section("images");
    auto configure = [](const char *what, const std::function<void()> &fn) {
      try {
        fn();
      } catch (const std::exception &e) {
        log::write("host", spdlog::level::warn, std::string(what) + ": " + e.what());
      }
    };
    speech::SpeechServiceConfig sc;
    sc.output_dir = data_dir() / "speech";
    sc.cache = &cache();
    configure("speech",
              [&] { sc.default_provider = speech::default_speech_provider(&speech_section); });
    speech_service_ = std::make_unique<speech::SpeechService>(sc);
    configure("speech", [&] {
      speech::add_configured_speech_providers(*speech_service_, *http_client_, &speech_section);
    });
    services_->add(AM_SPEECH_SERVICE_ID, speech_service_->table());
    images::ImagesServiceConfig ic;
    ic.output_dir = data_dir() / "images";
    ic.cache = &cache();
    ic.max_pixels = limits.media_pixels;
    configure("images", [&] { ic.default_order = images::default_image_order(&images_section); });
    images_service_ = std::make_unique<images::ImagesService>(ic);
    configure("images", [&] {
      images::add_configured_image_providers(*images_service_, *http_client_, &images_section);
    });
    services_->add(AM_IMAGES_SERVICE_ID, images_service_->table());
    try {
      llm_ = std::make_unique<llm::LlmHost>(config_, *http_client_, &cache(), store_location());
      services_->add(AM_LLM_SERVICE_ID, llm_->table());
    } catch (const std::exception &e) {
      // Other commands must keep working with a broken llm section; plugins then find no
      // automuse.llm/1 and say so, and `config check` / `llm providers` show the cause.
      log::write("host", spdlog::level::warn, std::string("LLM service unavailable: ") + e.what());
    }
  }
  return *services_;
}

std::shared_ptr<plugins::PluginModule> HostContext::plugin(const std::string &id) {
  std::lock_guard lock(plugins_mutex_);
  if (auto known = plugins_[id].lock()) return known;
  auto module = open_plugin_by_id(*this, id);
  module->initialise(services(), runtime());
  plugins_[id] = module;
  return module;
}

llm::LlmHost &HostContext::llm() {
  services();
  if (!llm_) throw std::runtime_error("the LLM service is unavailable (see the warning above)");
  return *llm_;
}

}  // namespace automuse::app
