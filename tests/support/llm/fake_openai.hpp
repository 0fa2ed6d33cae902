// FakeOpenAI: a loopback fake of an OpenAI-compatible chat completions server
// (docs/protocols/openai.md, "Chat completions"): POST /v1/chat/completions with Bearer keys, the
// documented answer, SSE stream (role delta first, content deltas, finish chunk, a usage chunk only
// when asked with stream_options.include_usage, then [DONE]) and error bodies. A Mistral flavour
// rejects stream_options with 422 and always sends usage in its last chunk. Faults are queued
// replies served before normal answers.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/fake_secrets.hpp"
#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeOpenAI {
 public:
  enum class Flavour { openai, mistral };
  struct Options {
    Flavour flavour = Flavour::openai;
    std::string api_key{
        fake_secrets::kLlmOpenAiKey};          // empty: no key checked (llama.cpp, Ollama /v1)
    std::set<std::string> models{"gpt-test"};  // others: 404 model_not_found
    bool reject_max_tokens = false;  // OpenAI reasoning models: max_completion_tokens only
  };

  FakeOpenAI();
  explicit FakeOpenAI(Options options);

  // "http://127.0.0.1:PORT/v1", what a provider's base_url is set to.
  std::string base_url() const;
  // The "llm" section of automuse.json that points the host at this fake: provider "fake",
  // its base_url, first model and key.
  boost::json::object host_config() const;
  FakeServer &server() { return server_; }

  // What the model says to a conversation (default: "Echo: " + the last user message).
  void set_answer(std::function<std::string(const boost::json::array &messages)> fn);
  // Answers in turn, the last repeating (convenience over set_answer).
  void set_answers(std::vector<std::string> answers);
  // A model stuck on one idea, as a deterministic one is: every new conversation (no assistant
  // turn yet) whose system message contains `system_part` is answered with `stuck` in turn
  // (the last repeating), also when the prompt says not to; a conversation that pushes back
  // (it has an assistant turn) gets `fresh` in turn (the last repeating). Other conversations,
  // and those whose list is empty, get the answer set before (set_answer: call this after it).
  void set_stuck(std::string system_part, std::vector<std::string> stuck,
                 std::vector<std::string> fresh);
  // Replies served (in order) before normal answers: rate limits, errors.
  void push_fault(Reply reply);

  // Bodies of the chat requests received, in order (faulted ones included).
  std::vector<boost::json::value> chat_bodies() const;
  size_t chat_count() const;

  // The documented error replies.
  static Reply rate_limited(std::optional<int> retry_after_s,
                            std::optional<int> retry_after_ms = std::nullopt);
  static Reply insufficient_quota();
  static Reply invalid_api_key();
  static Reply mistral_rate_limited_plain();   // {"message":"Requests rate limit exceeded"}
  static Reply mistral_rate_limited_object();  // {"object":"error",...,"code":"1300"}
  static Reply overloaded();                   // 503

 private:
  Reply handle(const ReceivedRequest &request);

  Options options_;
  mutable std::mutex mutex_;
  std::function<std::string(const boost::json::array &)> answer_;
  std::deque<Reply> faults_;
  std::vector<boost::json::value> bodies_;
  FakeServer server_;  // last: stops (joining its threads) before the state above goes
};

// Words of `text` as the fakes count tokens.
int64_t fake_token_count(std::string_view text);

}  // namespace automuse::testing
