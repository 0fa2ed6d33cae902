// host/speech/remote_speech.hpp — the network speech providers, through the host's HTTP
// service: OpenAI speech (audio only: the service aligns the script to it) and ElevenLabs
// with-timestamps (character times turned into word times). Long scripts are cut at sentence
// boundaries into pieces within the provider's input limit, the pieces are requested
// concurrently, and the audio and timings are joined in order.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "speech/script_text.hpp"
#include "speech/speech_provider.hpp"

namespace automuse::http {
class HttpClient;
}

namespace automuse::speech {

struct OpenAiSpeechConfig {
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key;
  std::string model = "gpt-4o-mini-tts";
  std::string default_voice = "alloy";
  size_t max_chars = 4000;  // the endpoint takes at most 4096 characters of input
};

struct ElevenLabsConfig {
  std::string base_url = "https://api.elevenlabs.io";
  std::string api_key;
  std::string model = "eleven_multilingual_v2";
  std::string default_voice = "21m00Tcm4TlvDq8ikWAM";
  size_t max_chars = 2500;
};

// `http` must outlive the provider.
std::unique_ptr<SpeechProvider> make_openai_speech_provider(http::HttpClient &http,
                                                            OpenAiSpeechConfig config);
std::unique_ptr<SpeechProvider> make_elevenlabs_provider(http::HttpClient &http,
                                                         ElevenLabsConfig config);

// Pieces of a script's speech text, each whole sentences and at most `max_chars` code points
// (a longer sentence stays whole).
std::vector<SpeechText> split_for_requests(const std::vector<ScriptWord> &words, size_t max_chars);

// Word timings from per-character times of `text` (ElevenLabs' alignment). Empty when the
// characters do not match the text (the caller then aligns instead).
std::vector<WordTiming> words_from_characters(const std::vector<ScriptWord> &words,
                                              const SpeechText &text,
                                              const std::vector<std::string> &characters,
                                              const std::vector<double> &starts,
                                              const std::vector<double> &ends);

}  // namespace automuse::speech
