// `llm ask`, `llm providers` and `usage` run through CLI11 against the fakes, with a real
// configuration, cache folder and store file.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "app/llm_commands.hpp"
#include "cache/cache.hpp"
#include "config/config.hpp"
#include "llm_fixture.hpp"
#include "store/store.hpp"

namespace automuse::llm::test {
namespace {

namespace json = boost::json;

class LlmCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("AUTOMUSE_TEST_CLI_KEY", "sk-test-0123456789", 1);
    config_ = config::Config::parse(R"({"llm": {"provider": "local", "providers": {
        "local": {"base_url": ")" + ollama_.base_url() +
                                        R"(", "api": "ollama", "model": "llama3.2"},
        "cloud": {"base_url": ")" + openai_.base_url() +
                                        R"(", "model": "gpt-test",
                  "api_key": {"env": "AUTOMUSE_TEST_CLI_KEY"}}}}})",
                                    "test.json");
    cache_ = std::make_unique<cache::Cache>(dir_ / "cache");
    http_ = std::make_unique<http::HttpClient>(runtime_.io());
    host_ = std::make_unique<LlmHost>(config_, *http_, cache_.get(), dir_ / "automuse.db");
  }
  void TearDown() override {
    host_.reset();
    http_.reset();
  }

  // Runs `automuse-host ARGS...`; returns the exit code.
  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    CLI::App app("test", "automuse-host");
    int exit_code = 0;
    add_llm_commands(
        app,
        [this] {
          LlmCliContext c;
          c.llm = [this]() -> LlmHost & { return *host_; };
          c.runtime = [this]() -> core::Runtime & { return runtime_; };
          c.config = [this]() -> const config::Config & { return config_; };
          c.out = &out_;
          c.err = &err_;
          return c;
        },
        &exit_code);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
      app.parse(reversed);
    } catch (const CLI::ParseError &e) {
      return 2;
    }
    return exit_code;
  }

  TempFolder dir_;
  FakeOllama ollama_;
  FakeOpenAI openai_;
  config::Config config_;
  core::Runtime runtime_{1, 1};
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<http::HttpClient> http_;
  std::unique_ptr<LlmHost> host_;
  std::ostringstream out_, err_;
};

TEST_F(LlmCliTest, AskUsesTheConfiguredDefaultAndPrintsUsage) {
  ASSERT_EQ(run({"llm", "ask", "hello there"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "Echo: hello there\n");
  EXPECT_NE(err_.str().find("(local, llama3.2: 5 tokens in, 3 out)"), std::string::npos)
      << err_.str();
  ASSERT_EQ(run({"llm", "ask", "hello there"}), 0);
  EXPECT_NE(err_.str().find("from the cache"), std::string::npos) << err_.str();
  EXPECT_EQ(ollama_.chat_bodies().size(), 1u);
}

TEST_F(LlmCliTest, AskStreamsFromAnotherProviderAndModel) {
  ASSERT_EQ(run({"llm", "ask", "stream it", "--provider", "cloud", "--stream", "--no-cache",
                 "--account", "acc-9"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "Echo: stream it\n");
  EXPECT_EQ(openai_.chat_bodies().at(0).at("stream"), true);
  EXPECT_EQ(run({"llm", "ask", "x", "--provider", "cloud", "--model", "gpt-missing"}), 1);
  EXPECT_NE(err_.str().find("automuse-host: LLM provider 'cloud' does not know the model"),
            std::string::npos)
      << err_.str();
}

TEST_F(LlmCliTest, AskWithShapePrintsTheExtractedJson) {
  openai_.set_answers({"```json\n[\"a\", \"b\",]\n```"});
  ASSERT_EQ(run({"llm", "ask", "two letters", "--provider", "cloud", "--shape",
                 R"({"type":"array","items":{"type":"string"}})"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "[\"a\",\"b\"]\n");
}

TEST_F(LlmCliTest, UsageShowsWhatWasSpent) {
  ASSERT_EQ(run({"llm", "ask", "one two three", "--account", "acc-1"}), 0) << err_.str();
  ASSERT_EQ(run({"llm", "ask", "one two three", "--account", "acc-1"}), 0);  // cached
  ASSERT_EQ(run({"usage"}), 0) << err_.str();
  std::string table = out_.str();
  EXPECT_NE(table.find("PROVIDER"), std::string::npos) << table;
  EXPECT_NE(table.find("local"), std::string::npos) << table;
  EXPECT_NE(table.find("acc-1"), std::string::npos) << table;
  ASSERT_EQ(run({"usage", "--json", "--account", "acc-1"}), 0);
  json::array rows = json::parse(out_.str()).as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("requests"), 1);
  EXPECT_EQ(rows[0].at("cached_requests"), 1);
  EXPECT_EQ(rows[0].at("prompt_tokens"), 6);
  EXPECT_EQ(rows[0].at("completion_tokens"), 4);
  ASSERT_EQ(run({"usage", "--provider", "cloud"}), 0);
  EXPECT_NE(out_.str().find("No LLM usage recorded"), std::string::npos) << out_.str();
}

TEST_F(LlmCliTest, ProvidersNeverPrintAKey) {
  ASSERT_EQ(run({"llm", "providers"}), 0) << err_.str();
  std::string list = out_.str();
  EXPECT_NE(list.find("* local"), std::string::npos) << list;
  EXPECT_NE(list.find("$AUTOMUSE_TEST_CLI_KEY (set)"), std::string::npos) << list;
  EXPECT_NE(list.find("mistral"), std::string::npos) << list;
  EXPECT_EQ(list.find("sk-test-0123456789"), std::string::npos) << list;
}

TEST_F(LlmCliTest, ServerDownIsReportedWithItsUrl) {
  ollama_.server().route("POST", "/api/chat", testing::Reply::hang_up());
  EXPECT_EQ(run({"llm", "ask", "anyone?", "--no-cache"}), 1);
  EXPECT_NE(err_.str().find("automuse-host: LLM provider 'local'"), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find(ollama_.server().url("/api/chat")), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace automuse::llm::test
