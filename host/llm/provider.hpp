// host/llm/provider.hpp — LLM providers by name: where they are (base URL), which model, where
// the key comes from, which wire protocol they speak (OpenAI-compatible chat completions or
// Ollama's native /api/chat) and their quirks (Mistral rejects stream_options and calls the
// seed random_seed; OpenAI wants max_completion_tokens). Presets plus automuse.json's
// llm.providers.<name> {base_url, model, api_key | api_key_env, api, ...}.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace automuse::config {
class Config;
}

namespace automuse::llm {

enum class Api { openai, ollama };

struct Provider {
  std::string name;  // "ollama", "mistral", or a user's own name
  Api api = Api::openai;
  std::string base_url;  // "https://api.mistral.ai/v1" (Ollama native: its /v1 is stripped)
  std::string model;
  std::string api_key;      // resolved value; empty when none is needed or it is missing
  std::string api_key_env;  // the variable the key comes from ("" when given inline or none)
  bool needs_key = false;   // a missing key is an error before anything is sent
  std::string token_param = "max_tokens";  // or "max_completion_tokens"
  std::string seed_param = "seed";         // Mistral: "random_seed"
  bool stream_options = true;              // send stream_options.include_usage when streaming

  // The URL a chat is POSTed to.
  std::string chat_url() const;
  // Whether a 404 "model not found" should be answered with `ollama pull MODEL`.
  bool is_ollama() const;
};

// The built-in presets: ollama (the default), mistral, openai, openrouter, groq, deepseek,
// llamacpp. Keys come from <NAME>_API_KEY variables (resolved at lookup).
const std::vector<Provider> &provider_presets();

class ProviderSet {
 public:
  // Presets only; default provider "ollama".
  ProviderSet();
  // Presets overlaid with llm.providers.<name> from the configuration; default from
  // llm.provider and llm.model. Throws am::error(AM_INVALID_ARGUMENT) naming the bad key.
  static ProviderSet from_config(const config::Config &config);

  void set(Provider provider);
  void set_default(std::string name, std::string model = {});

  // The provider `name` ("" = the default) with the model `model` ("" = its own), its key
  // read from the environment when configured so. Throws am::error: AM_NOT_FOUND for an unknown
  // name (listing the known ones), AM_UNAUTHENTICATED when a key is needed and missing (naming
  // the variable to set).
  Provider resolve(const std::string &name, const std::string &model) const;

  // The configured provider `name` as it is (key not resolved), or nullptr.
  const Provider *find(const std::string &name) const;

  const std::string &default_name() const { return default_name_; }
  const std::string &default_model() const { return default_model_; }
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Provider> providers_;
  std::string default_name_ = "ollama";
  std::string default_model_;  // llm.model: overrides the default provider's model
};

}  // namespace automuse::llm
