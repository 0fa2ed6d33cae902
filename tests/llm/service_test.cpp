// automuse.llm/1 through its C table and through the C++ coroutine helper, on a real host core
// (runtime, registry, job) against the fakes: streamed deltas then one completion, the typed
// result and its JSON, structured answers, bad requests naming the field, cancellation.
#include <automuse/job.h>
#include <automuse/llm.h>
#include <gtest/gtest.h>

#include <automuse/cpp/llm.hpp>
#include <boost/json.hpp>
#include <future>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "llm/llm_service.hpp"
#include "llm_fixture.hpp"

namespace automuse::llm::test {
namespace {

namespace json = boost::json;

struct CResult {
  am_status status = AM_INTERNAL;
  std::string error, content, finish_reason, provider, json_text, result_json;
  int64_t prompt_tokens = -1, completion_tokens = -1;
  bool has_result = false, from_cache = false, estimated = false;
};

struct Waiter {
  std::vector<std::string> deltas;
  std::atomic<int> completions{0};
  std::atomic<int> deltas_after_done{0};
  std::promise<CResult> promise;

  static void on_delta(void *user, am_str d) {
    auto *w = static_cast<Waiter *>(user);
    if (w->completions.load() > 0) w->deltas_after_done++;
    w->deltas.emplace_back(d.data, d.len);
  }
  static void on_done(void *user, am_status status, am_str error, const am_llm_result *r) {
    auto *w = static_cast<Waiter *>(user);
    if (w->completions.fetch_add(1) > 0) return;
    CResult out;
    out.status = status;
    out.error.assign(error.data, error.len);
    if (r) {
      out.has_result = true;
      out.content.assign(r->content.data, r->content.len);
      out.finish_reason.assign(r->finish_reason.data, r->finish_reason.len);
      out.provider.assign(r->provider.data, r->provider.len);
      out.json_text.assign(r->json.data, r->json.len);
      out.result_json.assign(r->result_json.data, r->result_json.len);
      out.prompt_tokens = r->prompt_tokens;
      out.completion_tokens = r->completion_tokens;
      out.from_cache = r->from_cache;
      out.estimated = r->usage_estimated;
    }
    w->promise.set_value(std::move(out));
  }
  CResult wait() {
    auto f = promise.get_future();
    if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      ADD_FAILURE() << "no completion";
      return {};
    }
    return f.get();
  }
};

am_str S(const std::string &s) {
  return am_str{s.data(), s.size()};
}

class LlmServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("AUTOMUSE_TEST_LLM_KEY", "sk-test-0123456789", 1);
    http_ = std::make_unique<http::HttpClient>(runtime_.io());
    LlmClientOptions o;
    o.retry_base_delay = std::chrono::milliseconds(20);
    o.providers.set(
        LlmFixture::provider_at("ollama", "ollama", ollama_.base_url(), "llama3.2", false));
    o.providers.set(
        LlmFixture::provider_at("openai", "openai", openai_.base_url(), "gpt-test", true));
    client_ = std::make_unique<LlmClient>(*http_, std::move(o));
    service_ = std::make_unique<LlmService>(*client_);
    registry_.add(AM_JOB_SERVICE_ID, core::job_service());
    registry_.add(AM_LLM_SERVICE_ID, service_->table());
    ctx_ = core::make_plugin_context("llm-test", registry_, runtime_);
    llm_ = static_cast<const am_llm *>(ctx_->host.get_service(&ctx_->host, AM_LLM_SERVICE_ID));
    job_ = runtime_.make_job("llm-test");
  }
  void TearDown() override {
    job_->wait_idle();
    service_.reset();
    client_.reset();
    http_.reset();
  }

  am_llm_request request(const std::string &messages) {
    messages_ = messages;
    am_llm_request r{};
    r.struct_size = sizeof r;
    r.messages_json = S(messages_);
    return r;
  }

  testing::FakeOllama ollama_;
  testing::FakeOpenAI openai_;
  core::Runtime runtime_{1, 1};
  core::ServiceRegistry registry_;
  std::unique_ptr<http::HttpClient> http_;
  std::unique_ptr<LlmClient> client_;
  std::unique_ptr<LlmService> service_;
  std::unique_ptr<core::PluginContext> ctx_;
  const am_llm *llm_ = nullptr;
  core::JobPtr job_;
  std::string messages_;
};

TEST_F(LlmServiceTest, StreamsDeltasThenCompletesOnceWithTheResult) {
  ASSERT_NE(llm_, nullptr);
  EXPECT_EQ(llm_->struct_size, sizeof(am_llm));
  am_llm_request r = request(R"([{"role":"user","content":"stream me something long"}])");
  r.stream = true;
  r.has_seed = true;
  r.seed = 5;
  Waiter w;
  am_op_id id = llm_->chat(&ctx_->host, job_.get(), &r, Waiter::on_delta, Waiter::on_done, &w);
  EXPECT_NE(id, 0u);
  CResult c = w.wait();
  ASSERT_EQ(c.status, AM_OK) << c.error;
  std::string joined;
  for (auto &d : w.deltas) joined += d;
  EXPECT_EQ(joined, "Echo: stream me something long");
  EXPECT_GT(w.deltas.size(), 3u);
  EXPECT_EQ(c.content, joined);
  EXPECT_EQ(c.provider, "ollama");
  EXPECT_EQ(c.finish_reason, "stop");
  EXPECT_EQ(c.completion_tokens, 5);
  EXPECT_FALSE(c.estimated);
  json::value all = json::parse(c.result_json);
  EXPECT_EQ(all.at("content"), json::value(joined));
  EXPECT_EQ(all.at("usage").at("completion_tokens"), 5);
  EXPECT_EQ(all.at("usage").at("total_tokens"), c.prompt_tokens + 5);
  EXPECT_EQ(ollama_.chat_bodies().at(0).at("options").at("seed"), 5);
  job_->wait_idle();
  EXPECT_EQ(w.completions.load(), 1);
  EXPECT_EQ(w.deltas_after_done.load(), 0);
}

TEST_F(LlmServiceTest, StructuredAnswerThroughTheTable) {
  openai_.set_answers({"Here:\n```json\n{\"ideas\": [\"a\", \"b\", \"c\"]}\n```"});
  am_llm_request r = request(R"([{"role":"user","content":"three ideas"}])");
  std::string provider = "openai", shape = R"({"type":"array","items":{"type":"string"}})";
  r.provider = S(provider);
  r.json_shape = S(shape);
  Waiter w;
  llm_->chat(&ctx_->host, job_.get(), &r, nullptr, Waiter::on_done, &w);
  CResult c = w.wait();
  ASSERT_EQ(c.status, AM_OK) << c.error;
  EXPECT_EQ(json::parse(c.json_text), json::parse(R"(["a","b","c"])"));
  EXPECT_EQ(json::parse(c.result_json).at("json"), json::parse(R"(["a","b","c"])"));
}

TEST_F(LlmServiceTest, BadRequestsNameTheField) {
  auto fails = [&](am_llm_request r) {
    Waiter w;
    llm_->chat(&ctx_->host, job_.get(), &r, nullptr, Waiter::on_done, &w);
    CResult c = w.wait();
    EXPECT_FALSE(c.has_result);
    return std::make_pair(c.status, c.error);
  };
  auto [s1, e1] = fails(request(R"([{"role":"robot","content":"x"}])"));
  EXPECT_EQ(s1, AM_INVALID_ARGUMENT);
  EXPECT_NE(e1.find("messages[0].role"), std::string::npos) << e1;
  auto [s2, e2] = fails(request("not json"));
  EXPECT_EQ(s2, AM_INVALID_ARGUMENT);
  EXPECT_NE(e2.find("messages"), std::string::npos) << e2;
  am_llm_request r = request(R"([{"role":"user","content":"x"}])");
  r.has_temperature = true;
  r.temperature = 7;
  auto [s3, e3] = fails(r);
  EXPECT_EQ(s3, AM_INVALID_ARGUMENT);
  EXPECT_NE(e3.find("temperature"), std::string::npos) << e3;
  std::string shape = R"({"type":"thing"})";
  am_llm_request r4 = request(R"([{"role":"user","content":"x"}])");
  r4.json_shape = S(shape);
  auto [s4, e4] = fails(r4);
  EXPECT_EQ(s4, AM_INVALID_ARGUMENT);
  EXPECT_NE(e4.find("shape.type"), std::string::npos) << e4;
  am_llm_request r5 = request(R"([{"role":"user","content":"x"}])");
  r5.struct_size = 8;
  EXPECT_EQ(fails(r5).first, AM_INVALID_ARGUMENT);
  EXPECT_EQ(ollama_.chat_bodies().size(), 0u);
}

TEST_F(LlmServiceTest, CancellingTheJobCompletesTheChatOnceWithCancelled) {
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i)
    lines.push_back(
        R"({"model":"llama3.2","message":{"role":"assistant","content":"la "},"done":false})"
        "\n");
  ollama_.server().route(
      "POST", "/api/chat",
      testing::Reply::chunked(lines, std::chrono::milliseconds(50), "application/x-ndjson"));
  am_llm_request r = request(R"([{"role":"user","content":"sing"}])");
  r.stream = true;
  r.no_cache = true;
  Waiter w;
  llm_->chat(&ctx_->host, job_.get(), &r, Waiter::on_delta, Waiter::on_done, &w);
  ASSERT_TRUE(ollama_.server().wait_for_requests(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  job_->cancel();
  CResult c = w.wait();
  EXPECT_EQ(c.status, AM_CANCELLED);
  job_->wait_idle();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(w.completions.load(), 1);
  EXPECT_EQ(w.deltas_after_done.load(), 0);
}

TEST_F(LlmServiceTest, CppHelperChatAndChatJson) {
  openai_.set_answers({"Sure!", R"(Result: {"title": "T", "tags": ["x", "y",]})"});
  std::promise<std::pair<std::string, std::string>> done;
  std::vector<std::string> pieces;
  auto body = [&]() -> am::task<std::pair<std::string, std::string>> {
    am::host h(&ctx_->host);
    am::job j(h, job_.get());
    am::llm llm(h);
    am::llm_params p;
    p.provider = "ollama";
    p.on_delta = [&](std::string_view d) { pieces.emplace_back(d); };
    // (Named locals: g++ 12 miscompiles initializer lists inside co_await expressions.)
    std::vector<am::llm_message> greeting{{"system", "Be brief."}, {"user", "hi there"}};
    am::llm_answer a = co_await llm.chat(j, greeting, p);
    am::llm_params q;
    q.provider = "openai";
    std::vector<am::llm_message> ask_meta{{"user", "metadata"}};
    std::string shape =
        R"({"type":"object","required":["title","tags"],"properties":{"tags":{"type":"array"}}})";
    std::string meta = co_await llm.chat_json(j, ask_meta, shape, q);
    co_return std::make_pair(a.content, meta);
  };
  boost::asio::post(job_->executor(), [&] {
    am::spawn(body(), [&](am::outcome<std::pair<std::string, std::string>> &&o) noexcept {
      if (o.ok()) {
        done.set_value(*o.value);
      } else {
        try {
          std::rethrow_exception(o.exception);
        } catch (const std::exception &e) {
          done.set_value({"error", e.what()});
        }
      }
    });
  });
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  auto [content, meta] = f.get();
  EXPECT_EQ(content, "Echo: hi there");
  std::string joined;
  for (auto &p : pieces) joined += p;
  EXPECT_EQ(joined, "Echo: hi there");
  EXPECT_EQ(json::parse(meta), json::parse(R"({"title":"T","tags":["x","y"]})"));
  EXPECT_EQ(openai_.chat_count(), 2u);  // "Sure!" had no JSON: asked once more
}

TEST_F(LlmServiceTest, CppHelperThrowsTheServiceError) {
  std::promise<std::pair<am_status, std::string>> done;
  auto body = [&]() -> am::task<void> {
    am::host h(&ctx_->host);
    am::job j(h, job_.get());
    am::llm_params p;
    p.model = "nosuchmodel";
    std::vector<am::llm_message> messages{{"user", "x"}};
    co_await am::llm(h).chat(j, messages, p);
  };
  boost::asio::post(job_->executor(), [&] {
    am::spawn(body(), [&](am::outcome<void> &&o) noexcept {
      try {
        if (o.exception) std::rethrow_exception(o.exception);
        done.set_value({AM_OK, ""});
      } catch (const am::error &e) {
        done.set_value({e.status(), e.what()});
      } catch (...) {
        done.set_value({AM_INTERNAL, "?"});
      }
    });
  });
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  auto [status, message] = f.get();
  EXPECT_EQ(status, AM_NOT_FOUND);
  EXPECT_NE(message.find("ollama pull nosuchmodel"), std::string::npos) << message;
}

}  // namespace
}  // namespace automuse::llm::test
