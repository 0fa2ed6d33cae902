// host/llm/llm_host.hpp — the LLM service as the host sets it up from automuse.json: providers
// (llm.*), the answer cache, usage accounting in the store file, the client over the host's
// HTTP client, and the automuse.llm/1 table. One object for HostContext to own and register.
#pragma once

#include <filesystem>
#include <memory>

#include "http/http_client.hpp"
#include "llm/llm_client.hpp"
#include "llm/llm_service.hpp"
#include "llm/usage_log.hpp"

namespace automuse::config {
class Config;
}
namespace automuse::cache {
class Cache;
}
namespace automuse::core {
class ServiceRegistry;
}

namespace automuse::llm {

class LlmHost {
 public:
  // `http` and `cache` (optional) must outlive this object. `store` is the store
  // (usage is recorded there; an empty one: no usage accounting). Throws am::error for a bad llm
  // section (naming the key) and store::StoreError for an unusable store.
  LlmHost(const config::Config &config, http::HttpClient &http, cache::Cache *cache,
          const store::Location &store);
  ~LlmHost();

  const am_llm *table() const { return service_->table(); }
  LlmClient &client() { return *client_; }
  LlmService &service() { return *service_; }
  UsageLog *usage() { return usage_.get(); }

 private:
  std::unique_ptr<UsageLog> usage_;
  std::unique_ptr<LlmClient> client_;
  std::unique_ptr<LlmService> service_;
};

}  // namespace automuse::llm
