// host/llm/llm_client.hpp — the host's LLM client over the HTTP engine: resolves the provider,
// answers from the cache when the same request was answered before in the same scope (the
// same run), sends the chat (streamed or not), waits out rate limits as the server asks, stops
// at once on quota and credential errors, records token usage, and asks again for structured
// (JSON) answers that did not fit.
//
// Every call completes exactly once (also when cancelled) on the executor it was given, which
// must be a strand (a job's executor): deltas and the completion never run concurrently.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/http_client.hpp"
#include "llm/llm_types.hpp"
#include "llm/provider.hpp"

namespace automuse::cache {
class Cache;
}

namespace automuse::llm {

class UsageLog;

struct LlmClientOptions {
  ProviderSet providers;
  cache::Cache *cache = nullptr;  // optional; must outlive the client
  UsageLog *usage = nullptr;      // optional; must outlive the client
  std::chrono::milliseconds cache_ttl{std::chrono::hours(24 * 30)};
  // Retries of rate limits (429) and overloads (5xx): attempts in all, the first backoff when
  // the server names no wait (doubling, with jitter), the longest server-asked wait honoured,
  // and the budget no retry may end after.
  int max_attempts = 5;
  http::Millis retry_base_delay{1000};
  http::Millis retry_max_delay{30'000};
  http::Millis max_server_wait{120'000};
  http::Millis max_total{300'000};
  http::Millis connect_timeout{10'000};
  http::Millis request_timeout{300'000};  // per attempt, the whole answer (http.timeout_seconds)
  // The cap of one answer as sent, JSON or stream (limits.llm_answer_kb; set by LlmHost):
  // past it the answer stops accumulating and the call fails naming the setting.
  http::BodyLimit answer_limit;
  // Debug lines (provider, model, tokens, retries); never keys or message text.
  std::function<void(int level, std::string_view message)> log;
};

class LlmClient {
 public:
  using DeltaFn = std::function<void(std::string_view piece)>;
  using DoneFn = std::function<void(ChatOutcome)>;

  // `http` must outlive the client; the client must outlive its calls.
  LlmClient(http::HttpClient &http, LlmClientOptions options);
  ~LlmClient();
  LlmClient(const LlmClient &) = delete;
  LlmClient &operator=(const LlmClient &) = delete;

  // Starts a chat. With request.stream, on_delta receives the answer piece by piece (a cached
  // answer arrives as one piece). Never calls back before returning. Returns the call's id.
  // Any thread.
  uint64_t chat(ChatRequest request, boost::asio::any_io_executor executor, DeltaFn on_delta,
                DoneFn done);

  // Starts a structured chat: asks for JSON of `shape` (see json_extract.hpp), extracts it from
  // the answer and, when that fails, asks again with the problem up to `max_reasks` times.
  // On success the outcome's result.json holds the value. A bad shape fails at once with
  // AM_INVALID_ARGUMENT. Any thread.
  uint64_t chat_json(ChatRequest request, boost::json::value shape, int max_reasks,
                     boost::asio::any_io_executor executor, DoneFn done);

  // Cancels a call: it completes with AM_CANCELLED unless it already completed. Any thread.
  void cancel(uint64_t id);

  // The cache key of a request sent to `provider` (hex SHA-256 of everything that shapes the
  // answer: API, URL, model, messages, parameters) within its cache scope.
  static std::string cache_key(const Provider &provider, const ChatRequest &request);

  const ProviderSet &providers() const { return options_.providers; }
  const LlmClientOptions &options() const { return options_; }
  http::HttpClient &http() { return http_; }

 private:
  struct ChatCall;
  struct JsonCall;
  friend struct ChatCall;
  friend struct JsonCall;
  uint64_t next_id();
  void remember(uint64_t id, std::function<void()> cancel);
  void forget(uint64_t id);

  http::HttpClient &http_;
  LlmClientOptions options_;
  std::mutex mutex_;
  std::unordered_map<uint64_t, std::function<void()>> calls_;
  uint64_t next_id_ = 1;
};

// The instruction added to a structured chat, describing `shape` to the model.
std::string json_instruction(const boost::json::value &shape);

}  // namespace automuse::llm
