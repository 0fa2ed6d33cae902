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
#include "core/service_binding.hpp"
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

  // The table to register under AM_LLM_SERVICE_ID.
  const am_llm *table() const { return binding_.table(); }
  LlmClient &client() { return client_; }

  // A chat (or, with `shape`, a structured chat re-asked up to `json_retries` times) as an
  // operation of `job`. `on_delta` and `done` run on the job's executor; done exactly once.
  am_op_id chat(am_job &job, ChatRequest request, std::optional<boost::json::value> shape,
                int json_retries, LlmClient::DeltaFn on_delta, LlmClient::DoneFn done);

 private:
  static am_llm c_table();
  LlmClient &client_;
  core::ServiceBinding<am_llm, LlmService> binding_{*this, c_table()};
};

}  // namespace automuse::llm
