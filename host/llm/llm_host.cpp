// host/llm/llm_host.cpp — building the LLM service from the configuration.
#include "llm/llm_host.hpp"

#include "config/config.hpp"
#include "config/limits.hpp"
#include "log/logging.hpp"

namespace automuse::llm {

LlmHost::LlmHost(const config::Config &config, http::HttpClient &http, cache::Cache *cache,
                 const store::Location &store) {
  LlmClientOptions o;
  o.providers = ProviderSet::from_config(config);
  o.cache = cache;
  if (!store.empty()) {
    usage_ = std::make_unique<UsageLog>(store);
    o.usage = usage_.get();
  }
  if (auto *v = config.find("http.timeout_seconds"); v && v->is_number())
    o.request_timeout = http::Millis(static_cast<int64_t>(v->to_number<double>() * 1000));
  o.answer_limit = {config::read_limits(config).llm_answer_bytes, "limits.llm_answer_kb"};
  o.log = [](int level, std::string_view line) {
    log::write("llm", log::to_spdlog(static_cast<am_log_level>(level)), line);
  };
  client_ = std::make_unique<LlmClient>(http, std::move(o));
  service_ = std::make_unique<LlmService>(*client_);
}

LlmHost::~LlmHost() = default;

}  // namespace automuse::llm
