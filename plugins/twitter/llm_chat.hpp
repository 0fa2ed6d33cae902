// plugins/twitter/llm_chat.hpp — one chat with the host's "automuse.llm/1" as an awaitable,
// resuming on the job's executor with the answer's text or throwing am::error.
#pragma once

#include <automuse/llm.h>

#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>
#include <coroutine>
#include <string>

namespace twitter {

class LlmChatAwaiter {
 public:
  LlmChatAwaiter(const am_host *host, const am_llm *llm, am_job *job, std::string messages_json,
                 std::string account_id)
      : host_(host),
        llm_(llm),
        job_(job),
        messages_(std::move(messages_json)),
        account_(std::move(account_id)) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting_ = h;
    am_llm_request req{};
    req.struct_size = sizeof req;
    req.messages_json = am::to_am_str(messages_);
    req.account_id = am::to_am_str(account_);
    req.temperature = 0.9;
    req.has_temperature = true;
    req.max_tokens = 400;
    // The host copies the request; the completion never runs before chat returns.
    llm_->chat(host_, job_, &req, nullptr, &LlmChatAwaiter::on_done, this);
  }
  std::string await_resume() {
    if (status_ != AM_OK) throw am::error(status_, "LLM: " + error_);
    return std::move(content_);
  }

 private:
  static void on_done(void *user, am_status status, am_str error, const am_llm_result *result) {
    auto *self = static_cast<LlmChatAwaiter *>(user);
    self->status_ = status;
    self->error_ = am::to_string(error);
    if (status == AM_OK && result) self->content_ = am::to_string(result->content);
    self->waiting_.resume();
  }

  const am_host *host_;
  const am_llm *llm_;
  am_job *job_;
  std::string messages_, account_;
  am_status status_ = AM_INTERNAL;
  std::string error_, content_;
  std::coroutine_handle<> waiting_;
};

// The answer's text to `messages_json`, on behalf of the account.
inline am::task<std::string> llm_chat(const am_host *host, const am_llm *llm, am_job *job,
                                      std::string messages_json, std::string account_id) {
  LlmChatAwaiter awaiter(host, llm, job, std::move(messages_json), std::move(account_id));
  co_return co_await awaiter;
}

}  // namespace twitter
