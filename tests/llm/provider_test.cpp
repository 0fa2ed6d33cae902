// Providers: the presets, automuse.json's llm section (keys from the environment, custom
// providers, the default provider and model) and the errors that name the key to fix.
#include "llm/provider.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "config/config.hpp"
#include "llm/llm_types.hpp"

namespace automuse::llm::test {
namespace {

TEST(Providers, PresetsAndDefault) {
  ProviderSet set;
  EXPECT_EQ(set.default_name(), "ollama");
  Provider ollama = set.resolve("", "");
  EXPECT_EQ(ollama.name, "ollama");
  EXPECT_EQ(ollama.base_url, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(ollama.chat_url(), "http://127.0.0.1:11434/api/chat");
  EXPECT_FALSE(ollama.needs_key);
  for (const char *name :
       {"ollama", "mistral", "openai", "openrouter", "groq", "deepseek", "llamacpp"}) {
    bool found = false;
    for (const Provider &p : provider_presets()) found = found || p.name == name;
    EXPECT_TRUE(found) << name;
  }
  ::setenv("MISTRAL_API_KEY", "mk-123456789", 1);
  Provider mistral = set.resolve("mistral", "");
  EXPECT_EQ(mistral.chat_url(), "https://api.mistral.ai/v1/chat/completions");
  EXPECT_EQ(mistral.api_key, "mk-123456789");
  EXPECT_FALSE(mistral.stream_options);
  EXPECT_EQ(mistral.seed_param, "random_seed");
  ::setenv("OPENAI_API_KEY", "sk-openai-123456", 1);
  Provider openai = set.resolve("openai", "gpt-x");
  EXPECT_EQ(openai.model, "gpt-x");
  EXPECT_EQ(openai.token_param, "max_completion_tokens");
  EXPECT_TRUE(openai.stream_options);
}

TEST(Providers, MissingKeyNamesTheVariable) {
  ::unsetenv("GROQ_API_KEY");
  ProviderSet set;
  try {
    set.resolve("groq", "");
    FAIL() << "resolved without a key";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_UNAUTHENTICATED);
    EXPECT_NE(std::string(e.what()).find("GROQ_API_KEY"), std::string::npos) << e.what();
  }
}

TEST(Providers, FromConfig) {
  ::setenv("AUTOMUSE_TEST_OR_KEY", "or-key-abcdef", 1);
  auto config = config::Config::parse(R"({
    "llm": {
      "provider": "router",
      "model": "meta/llama-3-8b",
      "providers": {
        "router": {"base_url": "https://openrouter.example/api/v1/", "model": "x",
                   "api_key": {"env": "AUTOMUSE_TEST_OR_KEY"}},
        "ollama": {"model": "qwen2.5"},
        "box": {"base_url": "http://10.0.0.2:11434", "api": "ollama", "model": "phi3"},
        "vllm": {"base_url": "http://127.0.0.1:8000/v1", "model": "m", "stream_options": false,
                 "token_param": "max_completion_tokens"}
      }
    }
  })",
                                      "test.json");
  ProviderSet set = ProviderSet::from_config(config);
  Provider def = set.resolve("", "");
  EXPECT_EQ(def.name, "router");
  EXPECT_EQ(def.model, "meta/llama-3-8b");  // llm.model overrides the default provider's
  EXPECT_EQ(def.api_key, "or-key-abcdef");
  EXPECT_EQ(def.chat_url(), "https://openrouter.example/api/v1/chat/completions");
  EXPECT_EQ(set.resolve("router", "other").model, "other");
  Provider ollama = set.resolve("ollama", "");
  EXPECT_EQ(ollama.model, "qwen2.5");
  EXPECT_EQ(ollama.base_url, "http://127.0.0.1:11434/v1");  // the preset's, kept
  EXPECT_EQ(set.resolve("box", "").chat_url(), "http://10.0.0.2:11434/api/chat");
  Provider vllm = set.resolve("vllm", "");
  EXPECT_FALSE(vllm.needs_key);
  EXPECT_FALSE(vllm.stream_options);
  EXPECT_EQ(vllm.token_param, "max_completion_tokens");
}

TEST(Providers, ConfigErrorsNameTheKey) {
  auto bad = [](const char *text) -> std::string {
    try {
      ProviderSet::from_config(config::Config::parse(text, "t.json"));
    } catch (const am::error &e) {
      EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
      return e.what();
    }
    return "";
  };
  EXPECT_NE(
      bad(R"({"llm":{"providers":{"mine":{"model":"m"}}}})").find("llm.providers.mine.base_url"),
      std::string::npos);
  EXPECT_NE(bad(R"({"llm":{"providers":{"x":{"base_url":"http://a","api":"grpc"}}}})")
                .find("llm.providers.x.api"),
            std::string::npos);
  EXPECT_NE(bad(R"({"llm":{"providers":{"x":{"base_url":"http://a","api_key":5}}}})")
                .find("llm.providers.x.api_key"),
            std::string::npos);
}

}  // namespace
}  // namespace automuse::llm::test
