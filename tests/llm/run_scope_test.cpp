// Cached answers are scoped to a run: through automuse.llm/1 on a real host core with a real
// cache, a job asking the same thing twice pays once, a new job (a new run) asks afresh, and a
// job carrying an earlier run's id (a resumed run) gets that run's answers without a request.
#include <automuse/job.h>
#include <automuse/llm.h>
#include <gtest/gtest.h>

#include <future>

#include "cache/cache.hpp"
#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "llm/llm_service.hpp"
#include "llm_fixture.hpp"

namespace automuse::llm::test {
namespace {

struct Answer {
  am_status status = AM_INTERNAL;
  std::string content;
  bool from_cache = false;
};

void on_done(void *user, am_status status, am_str, const am_llm_result *r) {
  Answer a{status, r ? std::string(r->content.data, r->content.len) : "", r && r->from_cache};
  static_cast<std::promise<Answer> *>(user)->set_value(std::move(a));
}

class RunScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("AUTOMUSE_TEST_LLM_KEY", "sk-test-0123456789", 1);
    http_ = std::make_unique<http::HttpClient>(runtime_.io());
    cache_ = std::make_unique<cache::Cache>(dir_ / "cache");
    LlmClientOptions o;
    o.cache = cache_.get();
    o.providers.set(
        LlmFixture::provider_at("openai", "openai", openai_.base_url(), "gpt-test", true));
    client_ = std::make_unique<LlmClient>(*http_, std::move(o));
    service_ = std::make_unique<LlmService>(*client_);
    registry_.add(AM_JOB_SERVICE_ID, core::job_service());
    registry_.add(AM_LLM_SERVICE_ID, service_->table());
    ctx_ = core::make_plugin_context("llm-test", registry_, runtime_);
    llm_ = static_cast<const am_llm *>(ctx_->host.get_service(&ctx_->host, AM_LLM_SERVICE_ID));
    // A model that never answers the same twice, so a repeated answer is the cache's.
    openai_.set_answer([n = 0](const boost::json::array &) mutable {
      return "idea number " + std::to_string(++n);
    });
  }
  void TearDown() override {
    for (auto &j : jobs_) j->wait_idle();
    service_.reset();
    client_.reset();
    http_.reset();
  }

  core::JobPtr job(const std::string &run_id = "") {
    jobs_.push_back(runtime_.make_job("scope-test"));
    if (!run_id.empty()) jobs_.back()->set_run_id(run_id);
    return jobs_.back();
  }

  Answer ask(const core::JobPtr &job) {
    const std::string messages = R"([{"role":"user","content":"one video idea"}])";
    const std::string provider = "openai";
    am_llm_request r{};
    r.struct_size = sizeof r;
    r.messages_json = am_str{messages.data(), messages.size()};
    r.provider = am_str{provider.data(), provider.size()};
    std::promise<Answer> promise;
    auto future = promise.get_future();
    llm_->chat(&ctx_->host, job.get(), &r, nullptr, on_done, &promise);
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      ADD_FAILURE() << "no completion";
      return {};
    }
    return future.get();
  }

  TempFolder dir_;
  testing::FakeOpenAI openai_;
  core::Runtime runtime_{1, 1};
  core::ServiceRegistry registry_;
  std::unique_ptr<http::HttpClient> http_;
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<LlmClient> client_;
  std::unique_ptr<LlmService> service_;
  std::unique_ptr<core::PluginContext> ctx_;
  const am_llm *llm_ = nullptr;
  std::vector<core::JobPtr> jobs_;
};

TEST_F(RunScopeTest, AnswersAreReusedWithinARunAndNeverAcrossRuns) {
  ASSERT_NE(llm_, nullptr);
  core::JobPtr first = job("run-1");
  Answer a = ask(first);
  ASSERT_EQ(a.status, AM_OK);
  EXPECT_EQ(a.content, "idea number 1");
  EXPECT_FALSE(a.from_cache);
  // The same request within the same run: from the cache.
  Answer again = ask(first);
  EXPECT_EQ(again.content, "idea number 1");
  EXPECT_TRUE(again.from_cache);
  EXPECT_EQ(openai_.chat_count(), 1u);

  // A new run asks afresh, as does a job given no run id at all.
  Answer next = ask(job("run-2"));
  EXPECT_EQ(next.content, "idea number 2");
  EXPECT_FALSE(next.from_cache);
  Answer unnamed = ask(job());
  EXPECT_EQ(unnamed.content, "idea number 3");
  EXPECT_EQ(openai_.chat_count(), 3u);

  // The first run resumed (a new job under its run id): its answer, nothing sent.
  Answer resumed = ask(job("run-1"));
  EXPECT_EQ(resumed.content, "idea number 1");
  EXPECT_TRUE(resumed.from_cache);
  EXPECT_EQ(openai_.chat_count(), 3u);
}

TEST_F(RunScopeTest, JobsWithoutARunIdNeverShareAnswers) {
  EXPECT_NE(job()->run_id(), job()->run_id());
  ask(job());
  ask(job());
  EXPECT_EQ(openai_.chat_count(), 2u);
}

TEST(CacheKey, TheScopeIsPartOfTheKey) {
  Provider p = LlmFixture::provider_at("openai", "openai", "http://127.0.0.1:1/v1", "m", false);
  ChatRequest r;
  r.messages = {{"user", "hi"}};
  const std::string unscoped = LlmClient::cache_key(p, r);
  r.cache_scope = "run-1";
  const std::string one = LlmClient::cache_key(p, r);
  r.cache_scope = "run-2";
  EXPECT_NE(one, LlmClient::cache_key(p, r));
  EXPECT_NE(one, unscoped);
  r.cache_scope = "run-1";
  EXPECT_EQ(one, LlmClient::cache_key(p, r));
}

}  // namespace
}  // namespace automuse::llm::test
