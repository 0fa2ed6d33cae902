// Ollama's native API against FakeOllama: NDJSON streaming with the final counters, a plain
// answer, options instead of top-level parameters, and an unknown model's advice.
#include <boost/json.hpp>

#include "llm_fixture.hpp"

namespace automuse::llm::test {
namespace {

TEST_F(LlmFixture, OllamaNativeStreamsNdjson) {
  FakeOllama fake;
  make_client({provider_at("ollama", "ollama", fake.base_url(), "llama3.2", false)});
  ChatRequest r = ask("ollama", "what is the capital of France", true);
  r.params.temperature = 0.7;
  r.params.max_tokens = 64;
  r.params.seed = 3;
  ChatRun run = this->run(r);
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  std::string want = "Echo: what is the capital of France";
  EXPECT_EQ(run.joined(), want);
  EXPECT_GT(run.deltas.size(), 3u);
  EXPECT_EQ(run.outcome.result.content, want);
  EXPECT_EQ(run.outcome.result.finish_reason, "stop");
  EXPECT_TRUE(run.outcome.result.usage.reported);
  EXPECT_EQ(run.outcome.result.usage.completion_tokens, 7);
  EXPECT_EQ(run.outcome.result.usage.prompt_tokens, (3 + 3) + (6 + 3));

  auto req = fake.server().requests("/api/chat");
  ASSERT_EQ(req.size(), 1u);
  EXPECT_FALSE(req[0].header("Authorization"));
  auto body = req[0].json().as_object();
  EXPECT_EQ(body.at("model"), "llama3.2");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("options").at("num_predict"), 64);
  EXPECT_EQ(body.at("options").at("seed"), 3);
  EXPECT_DOUBLE_EQ(body.at("options").at("temperature").as_double(), 0.7);
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_FALSE(body.contains("temperature"));
}

TEST_F(LlmFixture, OllamaNativePlainAnswerAndLength) {
  FakeOllama fake;
  make_client({provider_at("ollama", "ollama", fake.base_url(), "llama3.2", false)});
  ChatRequest r = ask("ollama", "a b c d e f g");
  r.params.max_tokens = 4;
  ChatRun run = this->run(r);
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(run.outcome.result.content, "Echo: a b c ");
  EXPECT_EQ(run.outcome.result.finish_reason, "length");
  EXPECT_EQ(fake.chat_bodies().at(0).at("stream"), false);
}

TEST_F(LlmFixture, OllamaUnknownModelSaysOllamaPull) {
  FakeOllama fake;
  make_client({provider_at("ollama", "ollama", fake.base_url(), "llama3.2", false)});
  ChatRequest r = ask("ollama", "hi", true);
  r.model = "mistral-nemo";
  ChatRun run = this->run(r);
  EXPECT_EQ(run.outcome.status, AM_NOT_FOUND);
  EXPECT_NE(run.outcome.error.find("ollama pull mistral-nemo"), std::string::npos)
      << run.outcome.error;
  EXPECT_TRUE(run.deltas.empty());
  EXPECT_EQ(fake.chat_bodies().size(), 1u);
}

TEST_F(LlmFixture, OllamaThroughItsOpenAiCompatibleEndpoint) {
  // The same server's /v1 speaks chat completions; an unknown model there is a 404 too.
  FakeOpenAI::Options o;
  o.api_key.clear();
  o.models = {"llama3.2"};
  FakeOpenAI fake(o);
  Provider p = provider_at("ollama", "ollama", fake.base_url(), "llama3.2", false);
  p.api = Api::openai;
  make_client({p});
  ChatRun ok = run(ask("ollama", "hi", true));
  ASSERT_EQ(ok.outcome.status, AM_OK) << ok.outcome.error;
  EXPECT_EQ(ok.joined(), "Echo: hi");
  ChatRequest r = ask("ollama", "hi");
  r.model = "qwen2.5";
  ChatRun missing = run(r);
  EXPECT_EQ(missing.outcome.status, AM_NOT_FOUND);
  EXPECT_NE(missing.outcome.error.find("ollama pull qwen2.5"), std::string::npos)
      << missing.outcome.error;
}

TEST_F(LlmFixture, CancelDuringAStreamCompletesOnceWithCancelled) {
  FakeOllama fake;
  std::vector<std::string> lines;
  for (int i = 0; i < 50; ++i)
    lines.push_back(
        R"({"model":"llama3.2","message":{"role":"assistant","content":"word "},"done":false})"
        "\n");
  fake.server().route("POST", "/api/chat", Reply::chunked(lines, 100ms, "application/x-ndjson"));
  make_client({provider_at("ollama", "ollama", fake.base_url(), "llama3.2", false)});
  auto run = std::make_shared<ChatRun>();
  std::promise<void> first_delta, done;
  std::atomic<bool> seen{false};
  std::atomic<int> completions{0};
  uint64_t id = client_->chat(
      ask("ollama", "talk", true), strand_,
      [&](std::string_view) {
        if (!seen.exchange(true)) first_delta.set_value();
      },
      [&](ChatOutcome o) {
        run->outcome = std::move(o);
        if (completions.fetch_add(1) == 0) done.set_value();
      });
  ASSERT_EQ(first_delta.get_future().wait_for(10s), std::future_status::ready);
  client_->cancel(id);
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(completions.load(), 1);
  EXPECT_EQ(run->outcome.status, AM_CANCELLED);
  client_->cancel(id);  // a finished id: harmless
}

}  // namespace
}  // namespace automuse::llm::test
