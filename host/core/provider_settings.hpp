// host/core/provider_settings.hpp — one network provider's settings in a service's section of
// automuse.json ("images.providers.gemini", "speech.providers.openai"): string settings and
// the API key with its environment-variable fallback, and the endpoint settings every remote
// provider's config shares.
#pragma once

#include <atomic>
#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <functional>
#include <string>

namespace automuse::core {

// Reads an environment variable (nullptr when unset); replaceable in tests.
using EnvLookup = std::function<const char *(const char *)>;

class ProviderSettings {
 public:
  // `section` is the service's section ({"providers": {name: {...}}}; nullptr = none) and
  // `providers` the dotted path of its providers object ("images.providers"), for errors.
  ProviderSettings(const boost::json::value *section, std::string providers, std::string name)
      : where_(std::move(providers) + "." + name) {
    const boost::json::value *v = section;
    for (const char *key : {"providers", name.c_str()}) {
      if (!v || !v->is_object()) return;
      v = v->as_object().if_contains(key);
    }
    if (v && v->is_object()) settings_ = &v->as_object();
  }

  // Whether the section has an object for this provider.
  bool configured() const { return settings_ != nullptr; }

  // The configured string, else `fallback`; null counts as unset. Throws am::error naming the
  // key (never echoing its value) when it is not a string.
  std::string text(const char *key, std::string fallback) const {
    const boost::json::value *v = settings_ ? settings_->if_contains(key) : nullptr;
    if (!v || v->is_null()) return fallback;
    if (!v->is_string())
      throw am::error(AM_INVALID_ARGUMENT, where_ + "." + key + ": must be a string");
    return std::string(v->get_string());
  }

  // Told every API key the moment it is read, so that nothing prints it afterwards. The log
  // library sets it to its redactor (host/log/redaction.cpp): core cannot depend on log.
  static inline std::atomic<void (*)(const std::string &)> on_key_read{nullptr};

  // The api_key setting, else the environment variable `variable`, else empty.
  std::string api_key(const char *variable, const EnvLookup &env) const {
    std::string key = text("api_key", "");
    if (key.empty() && env)
      if (const char *v = env(variable)) key = v;
    if (auto *observer = on_key_read.load(); observer && !key.empty()) observer(key);
    return key;
  }

  // A remote provider's `config` with the settings such configs share read over its defaults:
  // base_url, model and voice (where the config has them) and the API key.
  template <class Config>
  Config endpoint(Config config, const char *key_variable, const EnvLookup &env) const {
    config.base_url = text("base_url", config.base_url);
    if constexpr (requires { config.model; }) config.model = text("model", config.model);
    if constexpr (requires { config.default_voice; })
      config.default_voice = text("voice", config.default_voice);
    config.api_key = api_key(key_variable, env);
    return config;
  }

 private:
  std::string where_;
  const boost::json::object *settings_ = nullptr;
};

}  // namespace automuse::core
