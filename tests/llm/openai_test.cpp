// The OpenAI-compatible protocol against FakeOpenAI: plain and streamed answers (with and
// without the usage chunk), the Mistral differences, per-provider request bodies.
#include <boost/json.hpp>

#include "llm_fixture.hpp"

namespace automuse::llm::test {
namespace {

namespace json = boost::json;

TEST_F(LlmFixture, NonStreamingAnswerWithUsage) {
  FakeOpenAI fake;
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatRequest r = ask("openai", "say hi");
  r.params.temperature = 0.2;
  r.params.max_tokens = 50;
  r.params.seed = 7;
  ChatRun run = this->run(r);
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(run.outcome.result.content, "Echo: say hi");
  EXPECT_EQ(run.outcome.result.finish_reason, "stop");
  EXPECT_EQ(run.outcome.result.provider, "openai");
  EXPECT_EQ(run.outcome.result.model, "gpt-test");
  EXPECT_TRUE(run.outcome.result.usage.reported);
  EXPECT_EQ(run.outcome.result.usage.prompt_tokens, (3 + 3) + (2 + 3));
  EXPECT_EQ(run.outcome.result.usage.completion_tokens, 3);
  EXPECT_TRUE(run.deltas.empty());
  EXPECT_EQ(run.completions, 1);

  auto req = fake.server().requests("/v1/chat/completions");
  ASSERT_EQ(req.size(), 1u);
  EXPECT_EQ(req[0].header("Authorization").value_or(""), "Bearer sk-test-0123456789");
  json::object body = req[0].json().as_object();
  EXPECT_EQ(body.at("model"), "gpt-test");
  EXPECT_EQ(body.at("stream"), false);
  EXPECT_EQ(body.at("max_completion_tokens"), 50);  // OpenAI's name for it
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_EQ(body.at("seed"), 7);
  EXPECT_DOUBLE_EQ(body.at("temperature").as_double(), 0.2);
  EXPECT_FALSE(body.contains("stream_options"));
  EXPECT_EQ(body.at("messages").as_array().size(), 2u);
  EXPECT_EQ(body.at("messages").as_array()[1].at("content"), "say hi");
}

TEST_F(LlmFixture, ReasoningModelRejectsMaxTokensButGetsMaxCompletionTokens) {
  FakeOpenAI::Options o;
  o.reject_max_tokens = true;
  FakeOpenAI fake(o);
  Provider p = provider_at("openai", "openai", fake.base_url(), "gpt-test", true);
  Provider legacy = p;
  legacy.name = "legacy";
  legacy.token_param = "max_tokens";
  make_client({p, legacy});
  ChatRequest r = ask("openai", "one two three four five");
  r.params.max_tokens = 3;
  ChatRun ok = run(r);
  ASSERT_EQ(ok.outcome.status, AM_OK) << ok.outcome.error;
  EXPECT_EQ(ok.outcome.result.content, "Echo: one two ");
  EXPECT_EQ(ok.outcome.result.finish_reason, "length");
  r.provider = "legacy";
  ChatRun bad = run(r);
  EXPECT_EQ(bad.outcome.status, AM_INVALID_ARGUMENT);
  EXPECT_NE(bad.outcome.error.find("max_completion_tokens"), std::string::npos)
      << bad.outcome.error;
  EXPECT_NE(bad.outcome.error.find("'legacy'"), std::string::npos) << bad.outcome.error;
}

TEST_F(LlmFixture, StreamingWithUsageChunk) {
  FakeOpenAI fake;
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatRun run = this->run(ask("openai", "tell me a rather long story please", true));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  std::string want = "Echo: tell me a rather long story please";
  EXPECT_EQ(run.outcome.result.content, want);
  EXPECT_EQ(run.joined(), want);
  EXPECT_GT(run.deltas.size(), 3u);  // really streamed, piece by piece
  EXPECT_EQ(run.outcome.result.finish_reason, "stop");
  EXPECT_TRUE(run.outcome.result.usage.reported);
  EXPECT_EQ(run.outcome.result.usage.completion_tokens, 8);
  auto body = fake.server().requests("/v1/chat/completions").at(0).json().as_object();
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("stream_options").at("include_usage"), true);
  EXPECT_EQ(fake.server().requests("/v1/chat/completions").at(0).header("Accept").value_or(""),
            "text/event-stream");
}

TEST_F(LlmFixture, StreamingWithoutUsageChunkEstimatesTokens) {
  FakeOpenAI::Options o;
  o.api_key.clear();  // llama.cpp's server takes no key
  o.models = {"default"};
  FakeOpenAI fake(o);
  Provider p = provider_at("llamacpp", "llamacpp", fake.base_url(), "default", false);
  p.stream_options = false;  // an older server: no usage chunk is asked for, none comes
  make_client({p});
  ChatRun run = this->run(ask("llamacpp", "count to five", true));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(run.joined(), "Echo: count to five");
  EXPECT_EQ(run.outcome.result.content, "Echo: count to five");
  EXPECT_FALSE(run.outcome.result.usage.reported);
  EXPECT_GT(run.outcome.result.usage.completion_tokens, 0);
  EXPECT_GT(run.outcome.result.usage.prompt_tokens, 0);
  auto req = fake.server().requests("/v1/chat/completions").at(0);
  EXPECT_FALSE(req.header("Authorization"));
  EXPECT_FALSE(req.json().as_object().contains("stream_options"));
}

TEST_F(LlmFixture, StreamEndingBeforeItsEndIsAnError) {
  FakeOpenAI fake;
  // A stream cut after two deltas: no finish_reason, no [DONE].
  fake.server().route(
      "POST", "/v1/chat/completions",
      Reply::sse(
          {R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})",
           R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"Half an"},"finish_reason":null}]})"}));
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatRun run = this->run(ask("openai", "x", true));
  EXPECT_EQ(run.outcome.status, AM_UNAVAILABLE);
  EXPECT_NE(run.outcome.error.find("cut the streamed answer off"), std::string::npos)
      << run.outcome.error;
  EXPECT_EQ(run.joined(), "Half an");
  EXPECT_EQ(run.completions, 1);
}

TEST_F(LlmFixture, ErrorEventInsideTheStream) {
  FakeOpenAI fake;
  fake.server().route(
      "POST", "/v1/chat/completions",
      Reply::sse(
          {R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]})",
           R"({"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}})"}));
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatRun run = this->run(ask("openai", "x", true));
  EXPECT_EQ(run.outcome.status, AM_ERROR);
  EXPECT_NE(run.outcome.error.find("failed mid-answer"), std::string::npos) << run.outcome.error;
  EXPECT_NE(run.outcome.error.find("had an error while processing"), std::string::npos);
}

TEST_F(LlmFixture, MistralNeverGetsStreamOptionsAndUsesRandomSeed) {
  FakeOpenAI::Options o;
  o.flavour = FakeOpenAI::Flavour::mistral;
  o.models = {"mistral-small-latest"};
  FakeOpenAI fake(o);
  make_client({provider_at("mistral", "mistral", fake.base_url(), "mistral-small-latest", true)});
  ChatRequest r = ask("mistral", "bonjour tout le monde", true);
  r.params.seed = 42;
  r.params.max_tokens = 100;
  ChatRun run = this->run(r);
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(run.joined(), "Echo: bonjour tout le monde");
  EXPECT_TRUE(run.outcome.result.usage.reported);  // Mistral puts usage in its last chunk
  EXPECT_EQ(run.outcome.result.usage.completion_tokens, 5);
  auto body = fake.chat_bodies().at(0).as_object();
  EXPECT_FALSE(body.contains("stream_options"));
  EXPECT_FALSE(body.contains("seed"));
  EXPECT_EQ(body.at("random_seed"), 42);
  EXPECT_EQ(body.at("max_tokens"), 100);

  // What would happen with stream_options: the fake answers like Mistral does.
  Provider careless =
      provider_at("mistral", "careless", fake.base_url(), "mistral-small-latest", true);
  careless.stream_options = true;
  make_client({careless});
  ChatRun bad = this->run(ask("careless", "x", true));
  EXPECT_EQ(bad.outcome.status, AM_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace automuse::llm::test
