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
  const core::ProviderSettings openai(section, "speech.providers", "openai");
  const core::ProviderSettings elevenlabs(section, "speech.providers", "elevenlabs");
  service.add_provider(make_openai_speech_provider(
      http, openai.endpoint(OpenAiSpeechConfig{}, "OPENAI_API_KEY", env)));
  service.add_provider(make_elevenlabs_provider(
      http, elevenlabs.endpoint(ElevenLabsConfig{}, "ELEVENLABS_API_KEY", env)));
}

}  // namespace automuse::speech
