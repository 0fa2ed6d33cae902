// Shared fixture of the LLM tests: an io_context on a background thread (the host's I/O
// thread), a strand standing in for a job's executor, a real HTTP client, and blocking
// helpers that run one chat against the fakes and collect its deltas.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "http/http_client.hpp"
#include "llm/llm_client.hpp"
#include "support/llm/fake_ollama.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/temp_folder.hpp"

namespace automuse::llm::test {

using automuse::testing::FakeOllama;
using automuse::testing::FakeOpenAI;
using automuse::testing::Reply;
using namespace std::chrono_literals;

struct ChatRun {
  ChatOutcome outcome;
  std::vector<std::string> deltas;
  int completions = 0;
  std::string joined() const {
    std::string s;
    for (auto &d : deltas) s += d;
    return s;
  }
};

class LlmFixture : public ::testing::Test {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

  void SetUp() override {
    ::setenv("AUTOMUSE_TEST_LLM_KEY", "sk-test-0123456789", 1);
    http_ = std::make_unique<http::HttpClient>(io_);
  }
  void TearDown() override {
    client_.reset();
    http_.reset();
    work_.reset();
    thread_.join();
  }

  // A provider like the preset `preset` but pointing at `base_url`, keyed by the test variable
  // when `keyed`.
  static Provider provider_at(const std::string &preset, const std::string &name,
                              const std::string &base_url, const std::string &model, bool keyed) {
    Provider p;
    for (const Provider &q : provider_presets())
      if (q.name == preset) p = q;
    p.name = name;
    p.base_url = base_url;
    p.model = model;
    p.api_key.clear();
    p.api_key_env = keyed ? "AUTOMUSE_TEST_LLM_KEY" : "";
    p.needs_key = keyed;
    return p;
  }

 protected:
  // (Re)creates the client with these providers; fast retries unless told otherwise.
  LlmClient &make_client(std::vector<Provider> providers, LlmClientOptions options = {}) {
    for (Provider &p : providers) options.providers.set(std::move(p));
    if (options.retry_base_delay == LlmClientOptions{}.retry_base_delay)
      options.retry_base_delay = 20ms;
    client_ = std::make_unique<LlmClient>(*http_, std::move(options));
    return *client_;
  }

  static ChatRequest ask(const std::string &provider, const std::string &prompt,
                         bool stream = false) {
    ChatRequest r;
    r.provider = provider;
    r.messages = {{"system", "You are terse."}, {"user", prompt}};
    r.stream = stream;
    return r;
  }

  ChatRun run(ChatRequest request, std::chrono::seconds limit = 30s) {
    auto run = std::make_shared<ChatRun>();
    auto promise = std::make_shared<std::promise<void>>();
    auto future = promise->get_future();
    client_->chat(
        std::move(request), strand_, [run](std::string_view d) { run->deltas.emplace_back(d); },
        [run, promise](ChatOutcome o) {
          if (++run->completions == 1) {
            run->outcome = std::move(o);
            promise->set_value();
          }
        });
    if (future.wait_for(limit) != std::future_status::ready) {
      ADD_FAILURE() << "chat did not complete within " << limit.count() << " s";
      run->outcome.status = AM_INTERNAL;
      return *run;
    }
    std::this_thread::sleep_for(20ms);  // a second completion would show up here
    return *run;
  }

  ChatOutcome run_json(ChatRequest request, boost::json::value shape, int reasks) {
    std::promise<ChatOutcome> promise;
    auto future = promise.get_future();
    client_->chat_json(std::move(request), std::move(shape), reasks, strand_,
                       [&promise](ChatOutcome o) { promise.set_value(std::move(o)); });
    if (future.wait_for(30s) != std::future_status::ready) {
      ADD_FAILURE() << "structured chat did not complete";
      return ChatOutcome{AM_INTERNAL, "timeout", {}};
    }
    return future.get();
  }

  boost::asio::io_context io_;
  Strand strand_ = boost::asio::make_strand(io_);
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::thread thread_{[this] { io_.run(); }};
  std::unique_ptr<http::HttpClient> http_;
  std::unique_ptr<LlmClient> client_;
};

using automuse::testing::TempFolder;

}  // namespace automuse::llm::test
