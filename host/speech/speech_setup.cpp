// host/speech/speech_setup.cpp — speech providers from the configuration.
#include "speech/speech_setup.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "speech/remote_speech.hpp"
#include "speech/speech_service.hpp"
#include "speech/word_timing.hpp"

namespace automuse::speech {

namespace json = boost::json;

namespace {

const json::object *object_at(const json::value *v, std::initializer_list<const char *> path) {
  for (const char *key : path) {
    if (!v || !v->is_object()) return nullptr;
    v = v->as_object().if_contains(key);
  }
  return v && v->is_object() ? &v->as_object() : nullptr;
}

// A string setting: the configured value, else `fallback`; null counts as unset.
std::string setting(const json::object *o, const std::string &where, const char *key,
                    std::string fallback) {
  if (!o) return fallback;
  const json::value *v = o->if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) throw SpeechError(where + "." + key, "must be a string");
  return std::string(v->get_string());
}

std::string key_from(const json::object *o, const std::string &where, const char *variable,
                     const EnvLookup &env) {
  std::string key = setting(o, where, "api_key", "");
  if (key.empty()) {
    const char *v = env ? env(variable) : nullptr;
    if (v) key = v;
  }
  return key;
}

}  // namespace

std::string default_speech_provider(const json::value *section) {
  const json::value *v =
      section && section->is_object() ? section->as_object().if_contains("provider") : nullptr;
  if (!v || v->is_null()) return "espeak";
  if (!v->is_string()) throw SpeechError("speech.provider", "must be a string");
  std::string name(v->get_string());
  if (name == "espeak-ng" || name == "espeak") return "espeak";
  if (name == "openai" || name == "elevenlabs") return name;
  throw SpeechError("speech.provider",
                    "unknown provider '" + name + "' (available: espeak-ng, openai, elevenlabs)");
}

void add_configured_speech_providers(SpeechService &service, http::HttpClient &http,
                                     const json::value *section, const EnvLookup &env) {
  const std::string base = "speech.providers.";
  const json::object *oa = object_at(section, {"providers", "openai"});
  OpenAiSpeechConfig o;
  o.base_url = setting(oa, base + "openai", "base_url", o.base_url);
  o.model = setting(oa, base + "openai", "model", o.model);
  o.default_voice = setting(oa, base + "openai", "voice", o.default_voice);
  o.api_key = key_from(oa, base + "openai", "OPENAI_API_KEY", env);
  service.add_provider(make_openai_speech_provider(http, o));

  const json::object *el = object_at(section, {"providers", "elevenlabs"});
  ElevenLabsConfig e;
  e.base_url = setting(el, base + "elevenlabs", "base_url", e.base_url);
  e.model = setting(el, base + "elevenlabs", "model", e.model);
  e.default_voice = setting(el, base + "elevenlabs", "voice", e.default_voice);
  e.api_key = key_from(el, base + "elevenlabs", "ELEVENLABS_API_KEY", env);
  service.add_provider(make_elevenlabs_provider(http, e));
}

}  // namespace automuse::speech
