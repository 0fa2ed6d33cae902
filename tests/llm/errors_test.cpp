// Errors and rate limits against the fakes: what is retried (429 with and without
// Retry-After, retry-after-ms, both Mistral 429 shapes, 503), what stops at once
// (insufficient_quota, bad keys, unknown models), and a server that is not running. Waits are
// checked only as lower bounds, never as tight timings.
#include <boost/asio/ip/tcp.hpp>

#include "llm_fixture.hpp"

namespace automuse::llm::test {
namespace {

double seconds_between(const testing::ReceivedRequest &a, const testing::ReceivedRequest &b) {
  return std::chrono::duration<double>(b.received_at - a.received_at).count();
}

bool mentions(const std::string &text, const std::string &what) {
  return text.find(what) != std::string::npos;
}

class ErrorsTest : public LlmFixture {
 protected:
  void SetUp() override {
    LlmFixture::SetUp();
    make_client({provider_at("openai", "openai", fake_.base_url(), "gpt-test", true)});
  }
  FakeOpenAI fake_;
};

TEST_F(ErrorsTest, RateLimitWithRetryAfterWaitsAsAsked) {
  fake_.push_fault(FakeOpenAI::rate_limited(1));
  ChatRun run = this->run(ask("openai", "hello"));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(run.outcome.result.content, "Echo: hello");
  EXPECT_EQ(run.outcome.result.attempts, 2);
  auto req = fake_.server().requests("/v1/chat/completions");
  ASSERT_EQ(req.size(), 2u);
  EXPECT_GE(seconds_between(req[0], req[1]), 0.9);  // Retry-After: 1
}

TEST_F(ErrorsTest, RateLimitWithRetryAfterMs) {
  fake_.push_fault(FakeOpenAI::rate_limited(std::nullopt, 300));
  ChatRun run = this->run(ask("openai", "hello"));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  auto req = fake_.server().requests("/v1/chat/completions");
  ASSERT_EQ(req.size(), 2u);
  EXPECT_GE(seconds_between(req[0], req[1]), 0.25);
}

TEST_F(ErrorsTest, RateLimitWithoutRetryAfterBacksOff) {
  fake_.push_fault(FakeOpenAI::rate_limited(std::nullopt));
  fake_.push_fault(FakeOpenAI::rate_limited(std::nullopt));
  ChatRun run = this->run(ask("openai", "hello"));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(fake_.chat_count(), 3u);
  EXPECT_EQ(run.outcome.result.attempts, 3);
}

TEST_F(ErrorsTest, RateLimitThatNeverEndsGivesUp) {
  for (int i = 0; i < 10; ++i) fake_.push_fault(FakeOpenAI::rate_limited(std::nullopt));
  ChatRun run = this->run(ask("openai", "hello"));
  EXPECT_EQ(run.outcome.status, AM_RATE_LIMITED);
  EXPECT_EQ(fake_.chat_count(), 5u);  // max_attempts
  EXPECT_TRUE(mentions(run.outcome.error, "'openai'")) << run.outcome.error;
  EXPECT_TRUE(mentions(run.outcome.error, "5 attempts")) << run.outcome.error;
}

TEST_F(ErrorsTest, ServerAskingForTooLongAWaitIsNotWaitedFor) {
  fake_.push_fault(FakeOpenAI::rate_limited(3600));
  ChatRun run = this->run(ask("openai", "hello"));
  EXPECT_EQ(run.outcome.status, AM_RATE_LIMITED);
  EXPECT_EQ(fake_.chat_count(), 1u);
  EXPECT_TRUE(mentions(run.outcome.error, "asked to wait 3600 s")) << run.outcome.error;
}

TEST_F(ErrorsTest, InsufficientQuotaStopsAtOnce) {
  fake_.push_fault(FakeOpenAI::insufficient_quota());
  ChatRun run = this->run(ask("openai", "hello"));
  EXPECT_EQ(run.outcome.status, AM_QUOTA_EXCEEDED);
  EXPECT_EQ(fake_.chat_count(), 1u);  // never retried
  EXPECT_TRUE(mentions(run.outcome.error, "'openai'")) << run.outcome.error;
  EXPECT_TRUE(mentions(run.outcome.error, "billing")) << run.outcome.error;
}

TEST_F(ErrorsTest, WrongKeyStopsAtOnceAndNamesTheVariableNotTheKey) {
  ::setenv("AUTOMUSE_TEST_LLM_KEY", "sk-wrong-but-secret-123", 1);
  ChatRun run = this->run(ask("openai", "hello"));
  EXPECT_EQ(run.outcome.status, AM_UNAUTHENTICATED);
  EXPECT_EQ(fake_.chat_count(), 1u);
  EXPECT_TRUE(mentions(run.outcome.error, "AUTOMUSE_TEST_LLM_KEY")) << run.outcome.error;
  EXPECT_FALSE(mentions(run.outcome.error, "sk-wrong-but-secret-123")) << run.outcome.error;
}

TEST_F(ErrorsTest, MissingKeyFailsBeforeSending) {
  ::unsetenv("AUTOMUSE_TEST_LLM_KEY");
  ChatRun run = this->run(ask("openai", "hello"));
  EXPECT_EQ(run.outcome.status, AM_UNAUTHENTICATED);
  EXPECT_EQ(fake_.chat_count(), 0u);
  EXPECT_TRUE(mentions(run.outcome.error, "set the environment variable AUTOMUSE_TEST_LLM_KEY"))
      << run.outcome.error;
}

TEST_F(ErrorsTest, UnknownModelSaysSo) {
  ChatRequest r = ask("openai", "hello");
  r.model = "gpt-nonexistent";
  ChatRun run = this->run(r);
  EXPECT_EQ(run.outcome.status, AM_NOT_FOUND);
  EXPECT_TRUE(mentions(run.outcome.error, "gpt-nonexistent")) << run.outcome.error;
  EXPECT_TRUE(mentions(run.outcome.error, "llm.providers.openai.model")) << run.outcome.error;
}

TEST_F(ErrorsTest, OverloadIsRetried) {
  fake_.push_fault(FakeOpenAI::overloaded());
  ChatRun run = this->run(ask("openai", "hello"));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(fake_.chat_count(), 2u);
}

TEST_F(ErrorsTest, UnknownProviderListsTheKnownOnes) {
  ChatRun run = this->run(ask("nosuch", "hello"));
  EXPECT_EQ(run.outcome.status, AM_NOT_FOUND);
  EXPECT_TRUE(mentions(run.outcome.error, "nosuch")) << run.outcome.error;
  EXPECT_TRUE(mentions(run.outcome.error, "mistral")) << run.outcome.error;
}

class MistralErrorsTest : public LlmFixture {
 protected:
  MistralErrorsTest() : fake_(options()) {}
  static FakeOpenAI::Options options() {
    FakeOpenAI::Options o;
    o.flavour = FakeOpenAI::Flavour::mistral;
    o.models = {"mistral-small-latest"};
    return o;
  }
  void SetUp() override {
    LlmFixture::SetUp();
    make_client(
        {provider_at("mistral", "mistral", fake_.base_url(), "mistral-small-latest", true)});
  }
  FakeOpenAI fake_;
};

TEST_F(MistralErrorsTest, PlainMessage429IsARateLimit) {
  fake_.push_fault(FakeOpenAI::mistral_rate_limited_plain());
  ChatRun run = this->run(ask("mistral", "salut", true));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(run.joined(), "Echo: salut");
  EXPECT_EQ(fake_.chat_count(), 2u);
}

TEST_F(MistralErrorsTest, ObjectShaped429IsARateLimit) {
  fake_.push_fault(FakeOpenAI::mistral_rate_limited_object().with_header("Retry-After", "1"));
  ChatRun run = this->run(ask("mistral", "salut"));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  auto req = fake_.server().requests("/v1/chat/completions");
  ASSERT_EQ(req.size(), 2u);
  EXPECT_GE(seconds_between(req[0], req[1]), 0.9);
}

TEST_F(MistralErrorsTest, BothShapesExhaustedNameTheMessage) {
  for (int i = 0; i < 3; ++i) {
    fake_.push_fault(FakeOpenAI::mistral_rate_limited_plain());
    fake_.push_fault(FakeOpenAI::mistral_rate_limited_object());
  }
  ChatRun run = this->run(ask("mistral", "salut"));
  EXPECT_EQ(run.outcome.status, AM_RATE_LIMITED);
  EXPECT_TRUE(mentions(run.outcome.error, "rate limit exceeded")) << run.outcome.error;
}

TEST_F(LlmFixture, ServerThatIsDownSaysWhichUrlWasTried) {
  // A port that was just free: nothing listens there.
  uint16_t port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  std::string base = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  make_client({provider_at("ollama", "ollama", base, "llama3.2", false),
               provider_at("llamacpp", "llamacpp", base, "default", false)});
  ChatRun run = this->run(ask("ollama", "hello"));
  EXPECT_EQ(run.outcome.status, AM_UNAVAILABLE);
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/api/chat";
  EXPECT_TRUE(mentions(run.outcome.error, url)) << run.outcome.error;
  EXPECT_TRUE(mentions(run.outcome.error, "ollama serve")) << run.outcome.error;

  ChatRun run2 = this->run(ask("llamacpp", "hello", true));
  EXPECT_EQ(run2.outcome.status, AM_UNAVAILABLE);
  EXPECT_TRUE(mentions(run2.outcome.error, base + "/chat/completions")) << run2.outcome.error;
}

}  // namespace
}  // namespace automuse::llm::test
