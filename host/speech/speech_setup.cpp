// host/speech/speech_setup.cpp — speech providers from the configuration.
#include "speech/speech_setup.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "core/provider_settings.hpp"
#include "speech/remote_speech.hpp"
#include "speech/speech_service.hpp"
#include "speech/word_timing.hpp"

namespace automuse::speech {

namespace json = boost::json;

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
  core::ProviderSettings oa(section, "speech", "openai");
  OpenAiSpeechConfig o;
  o.base_url = oa.text("base_url", o.base_url);
  o.model = oa.text("model", o.model);
  o.default_voice = oa.text("voice", o.default_voice);
  o.api_key = oa.api_key("OPENAI_API_KEY", env);
  service.add_provider(make_openai_speech_provider(http, o));

  core::ProviderSettings el(section, "speech", "elevenlabs");
  ElevenLabsConfig e;
  e.base_url = el.text("base_url", e.base_url);
  e.model = el.text("model", e.model);
  e.default_voice = el.text("voice", e.default_voice);
  e.api_key = el.api_key("ELEVENLABS_API_KEY", env);
  service.add_provider(make_elevenlabs_provider(http, e));
}

}  // namespace automuse::speech
