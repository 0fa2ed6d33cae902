// Answers come from the cache the second time (nothing sent, nothing paid), and token usage is
// added up per day, provider, model and account in the store's llm_usage table (on both of the
// store's backends).
#include <ctime>

#include "cache/cache.hpp"
#include "llm/usage_log.hpp"
#include "llm_fixture.hpp"
#include "store/store.hpp"
#include "support/store_backends.hpp"

namespace automuse::llm::test {
namespace {

class CacheUsageTest : public LlmFixture {
 protected:
  void SetUp() override {
    LlmFixture::SetUp();
    cache_ = std::make_unique<cache::Cache>(dir_ / "cache");
    { store::Store s(dir_ / "automuse.db"); }  // a real store file, migrated
    usage_ = std::make_unique<UsageLog>(dir_ / "automuse.db");
    LlmClientOptions o;
    o.cache = cache_.get();
    o.usage = usage_.get();
    make_client({provider_at("openai", "openai", fake_.base_url(), "gpt-test", true)},
                std::move(o));
  }
  void TearDown() override {
    LlmFixture::TearDown();
    usage_.reset();
    cache_.reset();
  }
  TempFolder dir_;
  FakeOpenAI fake_;
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<UsageLog> usage_;
};

TEST_F(CacheUsageTest, SecondIdenticalRequestIsAnsweredFromTheCache) {
  ChatRequest r = ask("openai", "write a title");
  r.account_id = "acc-1";
  ChatRun first = run(r);
  ASSERT_EQ(first.outcome.status, AM_OK) << first.outcome.error;
  EXPECT_FALSE(first.outcome.result.from_cache);
  ChatRun second = run(r);
  ASSERT_EQ(second.outcome.status, AM_OK) << second.outcome.error;
  EXPECT_TRUE(second.outcome.result.from_cache);
  EXPECT_EQ(second.outcome.result.content, first.outcome.result.content);
  EXPECT_EQ(second.outcome.result.usage.completion_tokens,
            first.outcome.result.usage.completion_tokens);
  EXPECT_EQ(fake_.chat_count(), 1u);

  // Streamed, a cached answer arrives as one delta.
  r.stream = true;
  ChatRun streamed = run(r);
  ASSERT_EQ(streamed.outcome.status, AM_OK);
  EXPECT_TRUE(streamed.outcome.result.from_cache);
  EXPECT_EQ(streamed.joined(), first.outcome.result.content);
  EXPECT_EQ(fake_.chat_count(), 1u);

  // Anything that shapes the answer is part of the key.
  ChatRequest other = r;
  other.params.temperature = 0.9;
  ChatRun third = run(other);
  EXPECT_FALSE(third.outcome.result.from_cache);
  EXPECT_EQ(fake_.chat_count(), 2u);
  ChatRequest no_cache = ask("openai", "write a title");
  no_cache.use_cache = false;
  EXPECT_FALSE(run(no_cache).outcome.result.from_cache);
  EXPECT_EQ(fake_.chat_count(), 3u);

  auto rows = usage_->list();
  int64_t requests = 0, cached = 0, prompt = 0, completion = 0;
  for (auto &row : rows) {
    EXPECT_EQ(row.provider, "openai");
    EXPECT_EQ(row.model, "gpt-test");
    EXPECT_EQ(row.day, UsageLog::day_of(std::time(nullptr)));
    requests += row.requests;
    cached += row.cached_requests;
    prompt += row.prompt_tokens;
    completion += row.completion_tokens;
  }
  EXPECT_EQ(requests, 3);
  EXPECT_EQ(cached, 2);
  EXPECT_EQ(completion, 3 * 4);  // "Echo: write a title" each time, paid three times
  EXPECT_EQ(prompt, 3 * ((3 + 3) + (3 + 3)));
  auto mine = usage_->list({.account_id = std::string("acc-1")});
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].requests, 2);
  EXPECT_EQ(mine[0].cached_requests, 2);
}

TEST_F(CacheUsageTest, FailuresAndCutOffAnswersAreNotCached) {
  fake_.push_fault(FakeOpenAI::insufficient_quota());
  ChatRequest r = ask("openai", "one two three four");
  EXPECT_EQ(run(r).outcome.status, AM_QUOTA_EXCEEDED);
  EXPECT_FALSE(run(r).outcome.result.from_cache);  // now answered, and cached
  EXPECT_TRUE(run(r).outcome.result.from_cache);
  r.params.max_tokens = 2;
  ChatRun cut = run(r);
  EXPECT_EQ(cut.outcome.result.finish_reason, "length");
  EXPECT_FALSE(run(r).outcome.result.from_cache);
  EXPECT_EQ(fake_.chat_count(), 4u);
}

class UsageLogs : public automuse::testing::BackendTest {};

TEST_P(UsageLogs, AddsUpPerDayProviderModelAndAccount) {
  UsageLog log(location());
  log.record("mistral", "mistral-small", "a", 10, 5, false, false);
  log.record("mistral", "mistral-small", "a", 1, 2, true, false);
  log.record("mistral", "mistral-small", "b", 7, 7, false, false);
  log.record("ollama", "llama3.2", "", 3, 3, false, true);
  auto rows = log.list();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].provider, "mistral");
  EXPECT_EQ(rows[0].account_id, "a");
  EXPECT_EQ(rows[0].requests, 2);
  EXPECT_EQ(rows[0].prompt_tokens, 11);
  EXPECT_EQ(rows[0].completion_tokens, 7);
  EXPECT_EQ(rows[0].estimated, 1);
  EXPECT_EQ(rows[2].provider, "ollama");
  EXPECT_EQ(rows[2].requests, 0);
  EXPECT_EQ(rows[2].cached_requests, 1);
  EXPECT_EQ(rows[2].prompt_tokens, 0);
  EXPECT_EQ(log.list({.provider = std::string("ollama")}).size(), 1u);
  EXPECT_EQ(log.list({.since_day = std::string("2999-01-01")}).size(), 0u);
  // The table belongs to the store's schema: a Store opens the same store fine.
  store::Store s(location());
  EXPECT_GE(s.schema_version(), 3);  // 3 added llm_usage
  EXPECT_EQ(UsageLog::day_of(0), "1970-01-01");
}
AUTOMUSE_ON_BOTH_BACKENDS(UsageLogs);

}  // namespace
}  // namespace automuse::llm::test
