// automuse/cpp/llm.hpp — C++ access to "automuse.llm/1": a chat as an awaitable, and
// structured answers, so plugin code reads
//
//   am::llm llm(host);
//   am::llm_answer a = co_await llm.chat(job, {{"system", "Be brief."}, {"user", topic}});
//   am::llm_params p; p.temperature = 0.7; p.account_id = account;
//   std::string ideas = co_await llm.chat_json(job, {{"user", "3 video ideas as JSON"}},
//       R"({"type":"array","items":{"type":"string"},"minItems":3})", p);  // the JSON text
//
// Failures throw am::error with the service's status and message (which names the provider
// and what to fix). The coroutine resumes on the job's executor.
#pragma once

#include <automuse/llm.h>

#include <automuse/cpp/async.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace am {

struct llm_message {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct llm_params {
  std::string provider;    // empty: the configured default
  std::string model;       // empty: the provider's model
  std::string account_id;  // whose usage this is
  std::optional<double> temperature;
  std::optional<int64_t> max_tokens;
  std::optional<int64_t> seed;
  bool no_cache = false;
  int json_retries = 0;  // structured answers: 0 = the service's default (2), < 0 = never
  // Streams the answer: called with each piece on the job's executor.
  std::function<void(std::string_view)> on_delta;
};

struct llm_answer {
  std::string content;
  std::string finish_reason;
  std::string provider;
  std::string model;
  std::string json;         // structured answers: the extracted value as JSON text
  std::string result_json;  // everything as the service's JSON object
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  bool usage_estimated = false;
  bool from_cache = false;
};

namespace detail {

// JSON string literal for `s` (UTF-8 passes through; control characters are escaped).
inline void append_json_string(std::string &out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

inline std::string messages_json(const std::vector<llm_message> &messages) {
  std::string out = "[";
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i) out += ',';
    out += "{\"role\":";
    append_json_string(out, messages[i].role);
    out += ",\"content\":";
    append_json_string(out, messages[i].content);
    out += '}';
  }
  out += ']';
  return out;
}

// Throws am::error when the chat fails.
class llm_chat_awaiter : public callback_awaiter<llm_chat_awaiter> {
 public:
  llm_chat_awaiter(const am_llm *svc, const am_host *host, am_job *job,
                   std::vector<llm_message> messages, std::string shape, llm_params params)
      : svc_(svc),
        host_(host),
        job_(job),
        messages_(messages_json(messages)),
        shape_(std::move(shape)),
        params_(std::move(params)) {}

  llm_answer await_resume() {
    check(done_);
    return std::move(answer_);
  }

 private:
  friend callback_awaiter;
  void start() {
    am_llm_request r{};
    r.struct_size = sizeof r;
    r.messages_json = to_am_str(messages_);
    r.provider = to_am_str(params_.provider);
    r.model = to_am_str(params_.model);
    r.account_id = to_am_str(params_.account_id);
    r.json_shape = to_am_str(shape_);
    r.has_temperature = params_.temperature.has_value();
    r.temperature = params_.temperature.value_or(0.0);
    r.max_tokens = params_.max_tokens.value_or(0);
    r.has_seed = params_.seed.has_value();
    r.seed = params_.seed.value_or(0);
    r.json_retries = params_.json_retries;
    r.stream = static_cast<bool>(params_.on_delta) && shape_.empty();
    r.no_cache = params_.no_cache;
    svc_->chat(host_, job_, &r, params_.on_delta ? &llm_chat_awaiter::on_delta : nullptr,
               &llm_chat_awaiter::on_done, this);
  }
  static void on_delta(void *user, am_str delta) { from(user).params_.on_delta(view(delta)); }
  static void on_done(void *user, am_status status, am_str err, const am_llm_result *r) {
    llm_chat_awaiter &self = from(user);
    record(self.done_, status, err);
    if (r) {
      llm_answer &a = self.answer_;
      a.content = to_string(r->content);
      a.finish_reason = to_string(r->finish_reason);
      a.provider = to_string(r->provider);
      a.model = to_string(r->model);
      a.json = to_string(r->json);
      a.result_json = to_string(r->result_json);
      a.prompt_tokens = r->prompt_tokens;
      a.completion_tokens = r->completion_tokens;
      a.usage_estimated = r->usage_estimated;
      a.from_cache = r->from_cache;
    }
    self.resume();
  }

  const am_llm *svc_;
  const am_host *host_;
  am_job *job_;
  std::string messages_;
  std::string shape_;
  llm_params params_;
  done_result done_{AM_INTERNAL, {}};
  llm_answer answer_;
};

}  // namespace detail

// A non-owning handle on the LLM service. Cheap to copy.
class llm {
 public:
  // Throws am::error(AM_UNSUPPORTED) if the host has no automuse.llm/1.
  explicit llm(host h) : host_(h), svc_(&h.service<am_llm>(AM_LLM_SERVICE_ID)) {}

  // `co_await llm.chat(job, messages, params)`: the answer, or am::error.
  detail::llm_chat_awaiter chat(const job &j, std::vector<llm_message> messages,
                                llm_params params = {}) const {
    return detail::llm_chat_awaiter(svc_, host_.get(), j.get(), std::move(messages), {},
                                    std::move(params));
  }

  // `co_await llm.chat_json(job, messages, shape, params)`: the extracted JSON value's text,
  // checked against `shape` (see automuse/llm.h), or am::error.
  task<std::string> chat_json(const job &j, std::vector<llm_message> messages, std::string shape,
                              llm_params params = {}) const {
    llm_answer a = co_await detail::llm_chat_awaiter(
        svc_, host_.get(), j.get(), std::move(messages), std::move(shape), std::move(params));
    co_return std::move(a.json);
  }

  // The whole answer of a structured chat (content, usage...) with .json set.
  detail::llm_chat_awaiter chat_structured(const job &j, std::vector<llm_message> messages,
                                           std::string shape, llm_params params = {}) const {
    return detail::llm_chat_awaiter(svc_, host_.get(), j.get(), std::move(messages),
                                    std::move(shape), std::move(params));
  }

  const am_llm *service() const noexcept { return svc_; }

 private:
  host host_;
  const am_llm *svc_;
};

}  // namespace am
