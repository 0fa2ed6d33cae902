// Structured answers end to end against FakeOpenAI: the JSON instruction is sent, messy answers
// are extracted, a useless answer is asked again with the problem (bounded), and a cached bad
// answer is forgotten so a re-run does not get it back.
#include <boost/json.hpp>

#include "cache/cache.hpp"
#include "llm_fixture.hpp"

namespace automuse::llm::test {
namespace {

namespace json = boost::json;

const char *kTitles = R"({"type":"array","items":{"type":"string"},"minItems":2})";

TEST_F(LlmFixture, StructuredAnswerIsExtractedFromProse) {
  FakeOpenAI fake;
  fake.set_answers({"Sure! Here you go:\n```json\n[\"One\", \"Two\",]\n```\nEnjoy!"});
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatOutcome o = run_json(ask("openai", "two titles"), json::parse(kTitles), 2);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  ASSERT_TRUE(o.result.json);
  EXPECT_EQ(*o.result.json, json::parse(R"(["One","Two"])"));
  ASSERT_EQ(fake.chat_count(), 1u);
  auto messages = fake.chat_bodies()[0].at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  std::string system(messages[0].at("content").as_string());
  EXPECT_NE(system.find("You are terse."), std::string::npos);
  EXPECT_NE(system.find("JSON only"), std::string::npos);
  EXPECT_NE(system.find(R"("minItems":2)"), std::string::npos);
  json::value result = json::parse(o.result.to_json());
  EXPECT_EQ(result.at("json"), json::parse(R"(["One","Two"])"));
}

TEST_F(LlmFixture, UselessAnswerIsAskedAgainWithTheProblem) {
  FakeOpenAI fake;
  fake.set_answers({"I think these would work well: One, Two.", R"({"titles": ["One"]})",
                    R"(["One", "Two", "Three"])"});
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatOutcome o = run_json(ask("openai", "titles"), json::parse(kTitles), 2);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(*o.result.json, json::parse(R"(["One","Two","Three"])"));
  ASSERT_EQ(fake.chat_count(), 3u);
  auto second = fake.chat_bodies()[1].at("messages").as_array();
  ASSERT_EQ(second.size(), 4u);
  EXPECT_EQ(second[2].at("role"), "assistant");
  EXPECT_EQ(second[2].at("content"), "I think these would work well: One, Two.");
  EXPECT_NE(std::string(second[3].at("content").as_string()).find("contains no JSON"),
            std::string::npos);
  auto third = fake.chat_bodies()[2].at("messages").as_array();
  EXPECT_NE(std::string(third[5].at("content").as_string()).find("at least 2 items"),
            std::string::npos)
      << third[5].at("content");
}

TEST_F(LlmFixture, ReAskingIsBounded) {
  FakeOpenAI fake;
  fake.set_answers({"no JSON here"});
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatOutcome o = run_json(ask("openai", "titles"), json::parse(kTitles), 1);
  EXPECT_EQ(o.status, AM_ERROR);
  EXPECT_NE(o.error.find("no usable JSON after 2 tries"), std::string::npos) << o.error;
  EXPECT_EQ(fake.chat_count(), 2u);
}

TEST_F(LlmFixture, BadShapeFailsBeforeAsking) {
  FakeOpenAI fake;
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)});
  ChatOutcome o = run_json(ask("openai", "x"), json::parse(R"({"type":"list"})"), 1);
  EXPECT_EQ(o.status, AM_INVALID_ARGUMENT);
  EXPECT_EQ(fake.chat_count(), 0u);
}

TEST_F(LlmFixture, CachedBadAnswerIsForgotten) {
  TempFolder dir;
  cache::Cache cache(dir / "cache");
  FakeOpenAI fake;
  fake.set_answers({"nothing useful", R"(["A","B"])"});
  LlmClientOptions o;
  o.cache = &cache;
  make_client({provider_at("openai", "openai", fake.base_url(), "gpt-test", true)}, std::move(o));
  ChatOutcome first = run_json(ask("openai", "titles"), json::parse(kTitles), 0);
  EXPECT_EQ(first.status, AM_ERROR);
  ChatOutcome again = run_json(ask("openai", "titles"), json::parse(kTitles), 0);
  ASSERT_EQ(again.status, AM_OK) << again.error;  // asked anew, not served the bad answer
  EXPECT_EQ(fake.chat_count(), 2u);
  ChatOutcome cached = run_json(ask("openai", "titles"), json::parse(kTitles), 0);
  ASSERT_EQ(cached.status, AM_OK);
  EXPECT_TRUE(cached.result.from_cache);
  EXPECT_EQ(fake.chat_count(), 2u);
  client_.reset();
}

}  // namespace
}  // namespace automuse::llm::test
