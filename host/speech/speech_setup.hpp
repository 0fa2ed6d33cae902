// host/speech/speech_setup.hpp — the speech service as automuse.json's "speech" section
// configures it: the default provider ("espeak-ng" is espeak's other name) and the network
// providers' settings (speech.providers.openai / .elevenlabs: api_key, model, base_url, voice),
// keys falling back to OPENAI_API_KEY / ELEVENLABS_API_KEY.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <string>

namespace automuse::http {
class HttpClient;
}

namespace automuse::speech {

class SpeechService;

// Reads an environment variable (nullptr when unset); replaceable in tests.
using EnvLookup = std::function<const char *(const char *)>;

// The provider name a request without one gets: speech.provider, "espeak" by default.
// Throws SpeechError("speech.provider", ...) for a provider that does not exist.
std::string default_speech_provider(const boost::json::value *section);

// Adds "openai" and "elevenlabs" to the service (with the section's settings, `section` with
// {"env": ...} references already resolved; nullptr = none). Without a key they still exist
// and fail clearly when used. Throws am::error naming the bad key
// ("speech.providers.openai.model: must be a string").
void add_configured_speech_providers(SpeechService &service, http::HttpClient &http,
                                     const boost::json::value *section,
                                     const EnvLookup &env = ::getenv);

}  // namespace automuse::speech
