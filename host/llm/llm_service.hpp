// host/llm/llm_service.hpp — "automuse.llm/1": the LlmClient's chats as operations on a job
// (registered with the job so job cancellation reaches them; each completes exactly once on
// the job's executor, and no delta follows the completion), plus the C table.
#pragma once

#include <automuse/llm.h>

#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/job.hpp"
#include "llm/llm_client.hpp"

namespace automuse::core {
class ServiceRegistry;
}

namespace automuse::llm {

class LlmService {
 public:
  // `client` must outlive the service, which must outlive the registry's users.
  explicit LlmService(LlmClient &client);
  ~LlmService();
  LlmService(const LlmService &) = delete;
  LlmService &operator=(const LlmService &) = delete;

  // Registers the C table under AM_LLM_SERVICE_ID.
  void install(core::ServiceRegistry &registry);
  const am_llm *table() const;
  LlmClient &client() { return client_; }

  // A chat (or, with `shape`, a structured chat re-asked up to `json_retries` times) as an
  // operation of `job`. `on_delta` and `done` run on the job's executor; done exactly once.
  am_op_id chat(am_job &job, ChatRequest request, std::optional<boost::json::value> shape,
                int json_retries, LlmClient::DeltaFn on_delta, LlmClient::DoneFn done);

 private:
  struct Binding;
  friend LlmService *llm_service_of(const am_host *host);
  LlmClient &client_;
  std::unique_ptr<Binding> binding_;
};

// The service behind a host's AM_LLM_SERVICE_ID (for the C binding); nullptr if none.
LlmService *llm_service_of(const am_host *host);

}  // namespace automuse::llm
