// host/llm/provider.cpp — provider presets and their configuration from automuse.json.
#include "llm/provider.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "config/config.hpp"
#include "llm/llm_types.hpp"

namespace automuse::llm {

namespace json = boost::json;

namespace {

Provider preset(std::string name, Api api, std::string base_url, std::string model,
                std::string key_env) {
  Provider p;
  p.name = std::move(name);
  p.api = api;
  p.base_url = std::move(base_url);
  p.model = std::move(model);
  p.api_key_env = std::move(key_env);
  p.needs_key = !p.api_key_env.empty();
  return p;
}

std::string strip_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string get_string(const json::object &o, const char *key, const std::string &where) {
  const json::value *v = o.if_contains(key);
  if (!v || v->is_null()) return {};
  if (!v->is_string())
    throw am::error(AM_INVALID_ARGUMENT, where + "." + key + ": expected a string");
  return std::string(v->as_string());
}

}  // namespace

std::string Provider::chat_url() const {
  std::string base = strip_slash(base_url);
  if (api == Api::ollama) {
    // The native API lives beside the OpenAI-compatible /v1 one.
    if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0)
      base.resize(base.size() - 3);
    return base + "/api/chat";
  }
  return base + "/chat/completions";
}

bool Provider::is_ollama() const {
  return api == Api::ollama || name == "ollama" || base_url.find(":11434") != std::string::npos;
}

const std::vector<Provider> &provider_presets() {
  static const std::vector<Provider> kPresets = [] {
    std::vector<Provider> v;
    v.push_back(preset("ollama", Api::ollama, "http://127.0.0.1:11434/v1", "llama3.2", ""));
    Provider mistral = preset("mistral", Api::openai, "https://api.mistral.ai/v1",
                              "mistral-small-latest", "MISTRAL_API_KEY");
    mistral.stream_options = false;  // Mistral answers 422 to stream_options
    mistral.seed_param = "random_seed";
    v.push_back(mistral);
    Provider openai =
        preset("openai", Api::openai, "https://api.openai.com/v1", "gpt-4o-mini", "OPENAI_API_KEY");
    openai.token_param = "max_completion_tokens";  // max_tokens is refused by reasoning models
    v.push_back(openai);
    v.push_back(preset("openrouter", Api::openai, "https://openrouter.ai/api/v1",
                       "openai/gpt-4o-mini", "OPENROUTER_API_KEY"));
    v.push_back(preset("groq", Api::openai, "https://api.groq.com/openai/v1",
                       "llama-3.1-8b-instant", "GROQ_API_KEY"));
    v.push_back(preset("deepseek", Api::openai, "https://api.deepseek.com/v1", "deepseek-chat",
                       "DEEPSEEK_API_KEY"));
    v.push_back(preset("llamacpp", Api::openai, "http://127.0.0.1:8080/v1", "default", ""));
    return v;
  }();
  return kPresets;
}

ProviderSet::ProviderSet() {
  for (const Provider &p : provider_presets()) providers_[p.name] = p;
}

void ProviderSet::set(Provider provider) {
  std::string name = provider.name;
  providers_[name] = std::move(provider);
}

void ProviderSet::set_default(std::string name, std::string model) {
  default_name_ = std::move(name);
  default_model_ = std::move(model);
}

const Provider *ProviderSet::find(const std::string &name) const {
  auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : &it->second;
}

std::vector<std::string> ProviderSet::names() const {
  std::vector<std::string> out;
  for (const auto &[n, _] : providers_) out.push_back(n);
  return out;
}

ProviderSet ProviderSet::from_config(const config::Config &config) {
  ProviderSet set;
  if (const json::value *section = config.find("llm.providers"); section && section->is_object()) {
    for (const auto &[key, value] : section->as_object()) {
      std::string name(key);
      std::string where = "llm.providers." + name;
      const json::object *o = value.if_object();
      if (!o) throw am::error(AM_INVALID_ARGUMENT, where + ": expected an object");
      auto it = set.providers_.find(name);
      Provider p = it != set.providers_.end() ? it->second : Provider{};
      p.name = name;
      if (it == set.providers_.end()) p.needs_key = false;
      if (auto api = get_string(*o, "api", where); !api.empty()) {
        if (api == "openai")
          p.api = Api::openai;
        else if (api == "ollama")
          p.api = Api::ollama;
        else
          throw am::error(AM_INVALID_ARGUMENT,
                          where +
                              ".api: must be \"openai\" (chat completions) or \"ollama\" "
                              "(native /api/chat), not \"" +
                              api + "\"");
      }
      if (auto url = get_string(*o, "base_url", where); !url.empty()) p.base_url = url;
      if (p.base_url.empty())
        throw am::error(AM_INVALID_ARGUMENT, where +
                                                 ".base_url: required for a provider that "
                                                 "is not a preset");
      if (auto model = get_string(*o, "model", where); !model.empty()) p.model = model;
      if (const json::value *key_v = o->if_contains("api_key")) {
        if (key_v->is_object() && key_v->as_object().if_contains("env") &&
            key_v->as_object().at("env").is_string()) {
          p.api_key_env = std::string(key_v->as_object().at("env").as_string());
          p.api_key.clear();
          p.needs_key = true;
        } else if (key_v->is_string()) {
          p.api_key = std::string(key_v->as_string());
          p.api_key_env.clear();
          p.needs_key = !p.api_key.empty();
        } else if (!key_v->is_null()) {
          throw am::error(AM_INVALID_ARGUMENT,
                          where + ".api_key: expected a string or {\"env\": \"NAME\"}");
        }
      }
      if (auto env = get_string(*o, "api_key_env", where); !env.empty()) {
        p.api_key_env = env;
        p.needs_key = true;
      }
      if (auto tp = get_string(*o, "token_param", where); !tp.empty()) {
        if (tp != "max_tokens" && tp != "max_completion_tokens")
          throw am::error(AM_INVALID_ARGUMENT, where +
                                                   ".token_param: must be \"max_tokens\" or "
                                                   "\"max_completion_tokens\"");
        p.token_param = tp;
      }
      if (auto sp = get_string(*o, "seed_param", where); !sp.empty()) p.seed_param = sp;
      if (const json::value *so = o->if_contains("stream_options")) {
        if (!so->is_bool())
          throw am::error(AM_INVALID_ARGUMENT, where + ".stream_options: expected true or false");
        p.stream_options = so->as_bool();
      }
      set.providers_[name] = std::move(p);
    }
  }
  std::string name = "ollama", model;
  if (const json::value *v = config.find("llm.provider"); v && v->is_string())
    name = std::string(v->as_string());
  if (const json::value *v = config.find("llm.model"); v && v->is_string())
    model = std::string(v->as_string());
  set.set_default(name, model);
  return set;
}

Provider ProviderSet::resolve(const std::string &name_in, const std::string &model) const {
  const std::string &name = name_in.empty() ? default_name_ : name_in;
  auto it = providers_.find(name);
  if (it == providers_.end()) {
    std::string known;
    for (const auto &[n, _] : providers_) known += (known.empty() ? "" : ", ") + n;
    throw am::error(AM_NOT_FOUND, "unknown LLM provider '" + name + "' (known: " + known +
                                      "); add it under llm.providers." + name +
                                      " with a base_url in automuse.json");
  }
  Provider p = it->second;
  if (!model.empty())
    p.model = model;
  else if (name == default_name_ && !default_model_.empty())
    p.model = default_model_;
  if (p.model.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "LLM provider '" + name + "' has no model: set llm.providers." + name +
                        ".model (or llm.model) in automuse.json, or pass --model");
  if (p.api_key.empty() && !p.api_key_env.empty()) {
    if (const char *v = std::getenv(p.api_key_env.c_str())) p.api_key = v;
  }
  if (p.needs_key && p.api_key.empty()) {
    throw am::error(
        AM_UNAUTHENTICATED,
        "LLM provider '" + name + "' needs an API key: set the environment variable " +
            (p.api_key_env.empty() ? std::string("named in llm.providers." + name + ".api_key")
                                   : p.api_key_env) +
            " (or llm.providers." + name + ".api_key in automuse.json)");
  }
  return p;
}

}  // namespace automuse::llm
