// host/llm/llm_types.hpp — the value types of the LLM service: messages, sampling parameters,
// a chat request, its outcome (content, finish reason, token usage) and the error type that
// carries an am_status with a message meant for the user.
#pragma once

#include <automuse/types.h>

#include <automuse/cpp/error.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace automuse::llm {

struct Message {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct ChatParams {
  std::optional<double> temperature;
  std::optional<int64_t> max_tokens;
  std::optional<int64_t> seed;
};

struct ChatRequest {
  std::vector<Message> messages;
  ChatParams params;
  std::string provider;    // empty: the configured default (llm.provider)
  std::string model;       // empty: the provider's model (or llm.model)
  std::string account_id;  // for usage accounting; empty: none
  bool stream = false;     // deliver the answer piece by piece as it arrives
  bool use_cache = true;   // read and write the answer cache
  // What cached answers are shared within: a job's run id (see am_job::run_id), so a resumed
  // run pays nothing twice and a new run asks afresh. Empty: shared by every identical
  // request (`llm ask`, where the user sees "from the cache").
  std::string cache_scope;
};

struct Usage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  bool reported = false;  // false: the provider sent no counts; these are estimates
};

struct ChatResult {
  std::string content;
  std::string finish_reason;  // "stop", "length", "content_filter", ... ("" if not given)
  std::string provider;
  std::string model;
  Usage usage;
  bool from_cache = false;
  int attempts = 0;                        // HTTP requests made (0 for a cache hit)
  std::optional<boost::json::value> json;  // structured answers: the extracted value
  std::string cache_key;                   // where the answer is cached ("" if not)

  // {"content","finish_reason","provider","model","usage":{...},"from_cache"[, "json"]}
  std::string to_json() const;
};

// The outcome of one chat: status AM_OK with a result, or a status and a message that says
// which provider failed and what to do about it.
struct ChatOutcome {
  am_status status = AM_OK;
  std::string error;
  ChatResult result;
};

// Messages from JSON text [{"role","content"}...]; throws am::error(AM_INVALID_ARGUMENT)
// naming the bad element.
std::vector<Message> messages_from_json(std::string_view text);
boost::json::array messages_to_json(const std::vector<Message> &messages);

}  // namespace automuse::llm
