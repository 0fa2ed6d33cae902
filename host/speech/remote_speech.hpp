// host/speech/remote_speech.hpp — the network speech providers, through the host's HTTP
// service: OpenAI speech (audio only: the service aligns the script to it) and ElevenLabs
// with-timestamps (character times turned into word times). A script is cut into sentences
// (one request each, a sentence over the provider's input limit cut further at clause or word
// boundaries), every request is sent at once through the HTTP service (which caps
// connections per host and retries rate limits), and the audio and timings are joined in
// script order with each piece's timings offset by the audio before it.
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
  size_t sentences_per_request = 1;
};

struct ElevenLabsConfig {
  std::string base_url = "https://api.elevenlabs.io";
  std::string api_key;
  std::string model = "eleven_multilingual_v2";
  std::string default_voice = "21m00Tcm4TlvDq8ikWAM";
  size_t max_chars = 2500;
  size_t sentences_per_request = 1;
  // Sent with each piece as previous_text / next_text, so the voice keeps its flow across
  // pieces (ElevenLabs' request stitching).
  bool stitch = true;
};

// `http` must outlive the provider.
std::unique_ptr<SpeechProvider> make_openai_speech_provider(http::HttpClient &http,
                                                            OpenAiSpeechConfig config);
std::unique_ptr<SpeechProvider> make_elevenlabs_provider(http::HttpClient &http,
                                                         ElevenLabsConfig config);

// Pieces of a script's speech text: at most `max_sentences` whole sentences and `max_chars`
// code points each; a sentence longer than `max_chars` is cut at its last clause end that
// fits, else between words (a single word longer than that stays whole).
std::vector<SpeechText> split_for_requests(const std::vector<ScriptWord> &words, size_t max_chars,
                                           size_t max_sentences = 1);

// Word timings from per-character times of `text` (ElevenLabs' alignment). Empty when the
// characters do not match the text (the caller then aligns instead).
std::vector<WordTiming> words_from_characters(const std::vector<ScriptWord> &words,
                                              const SpeechText &text,
                                              const std::vector<std::string> &characters,
                                              const std::vector<double> &starts,
                                              const std::vector<double> &ends);

}  // namespace automuse::speech
