// The cap of an LLM answer (limits.llm_answer_kb): a plain or streamed answer past it stops
// accumulating and fails naming the provider, its host and the setting; token counts a
// provider reports are read with range checks.
#include <boost/json.hpp>

#include "config/config.hpp"
#include "llm/llm_host.hpp"
#include "llm/wire.hpp"
#include "llm_fixture.hpp"

namespace automuse::llm::test {
namespace {

class AnswerLimitTest : public LlmFixture {
 protected:
  static constexpr size_t kCap = 16 * 1024;

  FakeOpenAI &talkative() {
    fake_.set_answer([](const boost::json::array &) {
      std::string long_answer;
      while (long_answer.size() < 8 * kCap) long_answer += "all work and no play ";
      return long_answer;
    });
    LlmClientOptions o;
    o.answer_limit = {kCap, "limits.llm_answer_kb"};
    make_client({provider_at("openai", "openai", fake_.base_url(), "gpt-test", true)}, o);
    return fake_;
  }

  static void expect_named(const ChatRun &run) {
    EXPECT_EQ(run.outcome.status, AM_ERROR) << run.outcome.error;
    EXPECT_EQ(run.completions, 1);
    const std::string &e = run.outcome.error;
    EXPECT_NE(e.find("LLM provider 'openai'"), std::string::npos) << e;
    EXPECT_NE(e.find("127.0.0.1"), std::string::npos) << e;
    EXPECT_NE(e.find("limits.llm_answer_kb (16 KB)"), std::string::npos) << e;
  }

  FakeOpenAI fake_;
};

TEST_F(AnswerLimitTest, PlainAnswerPastTheCapFails) {
  talkative();
  ChatRun run = this->run(ask("openai", "go on"));
  expect_named(run);
}

TEST_F(AnswerLimitTest, StreamedAnswerStopsAtTheCap) {
  talkative();
  ChatRun run = this->run(ask("openai", "go on", true));
  expect_named(run);
  EXPECT_FALSE(run.deltas.empty());      // it streamed...
  EXPECT_LT(run.joined().size(), kCap);  // ...and stopped at the cap
}

TEST_F(AnswerLimitTest, AnswersWithinTheCapArrive) {
  LlmClientOptions o;
  o.answer_limit = {kCap, "limits.llm_answer_kb"};
  make_client({provider_at("openai", "openai", fake_.base_url(), "gpt-test", true)}, o);
  ChatRun run = this->run(ask("openai", "say hi"));
  ASSERT_EQ(run.outcome.status, AM_OK) << run.outcome.error;
  EXPECT_EQ(run.outcome.result.content, "Echo: say hi");
}

// The cap comes from automuse.json's limits.llm_answer_kb, as the host builds its LLM service.
TEST_F(AnswerLimitTest, CapIsReadFromTheConfiguration) {
  talkative();
  boost::json::object root{{"llm", fake_.host_config()},
                           {"limits", boost::json::object{{"llm_answer_kb", 16}}}};
  auto config = config::Config::parse(boost::json::serialize(root), "automuse.json");
  LlmHost host(config, *http_, nullptr, {});
  ChatRequest r = ask("", "go on");
  std::promise<ChatOutcome> done;
  host.client().chat(std::move(r), strand_, nullptr,
                     [&done](ChatOutcome o) { done.set_value(std::move(o)); });
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(30s), std::future_status::ready);
  ChatOutcome o = future.get();
  EXPECT_EQ(o.status, AM_ERROR) << o.error;
  EXPECT_NE(o.error.find("limits.llm_answer_kb (16 KB)"), std::string::npos) << o.error;

  // Without the setting, the default (8 MB) lets the same answer through.
  boost::json::object plain{{"llm", fake_.host_config()}};
  LlmHost roomy(config::Config::parse(boost::json::serialize(plain), "automuse.json"), *http_,
                nullptr, {});
  std::promise<ChatOutcome> done2;
  roomy.client().chat(ask("", "go on"), strand_, nullptr,
                      [&done2](ChatOutcome o) { done2.set_value(std::move(o)); });
  auto future2 = done2.get_future();
  ASSERT_EQ(future2.wait_for(30s), std::future_status::ready);
  ChatOutcome ok = future2.get();
  EXPECT_EQ(ok.status, AM_OK) << ok.error;
}

// Token counts are the provider's word: absurd ones are clamped, never cast out of range.
TEST(UsageCounts, AbsurdNumbersAreClamped) {
  Provider p;
  p.name = "openai";
  auto usage = [&](const std::string &prompt, const std::string &completion) {
    return parse_chat_answer(p,
                             R"({"choices":[{"message":{"content":"hi"},"finish_reason":"stop"}],)"
                             R"("usage":{"prompt_tokens":)" +
                                 prompt + R"(,"completion_tokens":)" + completion + "}}")
        .usage;
  };
  const int64_t most = int64_t(1) << 53;
  EXPECT_EQ(usage("1e300", "-5").prompt_tokens, most);
  EXPECT_EQ(usage("1e300", "-5").completion_tokens, 0);
  EXPECT_EQ(usage("18446744073709551615", "-1e300").prompt_tokens, most);
  EXPECT_EQ(usage("18446744073709551615", "-1e300").completion_tokens, 0);
  EXPECT_EQ(usage("12", "7.9").prompt_tokens, 12);
  EXPECT_EQ(usage("12", "7.9").completion_tokens, 7);
}

}  // namespace
}  // namespace automuse::llm::test
