// host/speech/espeak_engine.hpp — the process's one libespeak-ng instance. libespeak-ng keeps
// global state and is not thread-safe, so every call goes through one mutex: synthesis with
// this engine is serialised inside a process; espeak_pool.hpp runs several processes to speak
// sentences at once.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "speech/pcm_audio.hpp"

namespace automuse::speech {

struct EspeakVoice {
  std::string name;                    // "English (America)"
  std::string identifier;              // "gmw/en-US"
  std::vector<std::string> languages;  // "en-us", "en" (best first)
  std::vector<int> priorities;         // espeak-ng's, one per language: lower is preferred
};

struct VoiceSettings {
  std::string voice = "en";  // an espeak-ng voice name, identifier or language, "+variant" ok
  int rate = 175;            // words per minute, 80..450
  int pitch = 50;            // 0..100
};

// A word-start event as espeak-ng reports it: 1-based code-point position in the text given
// to synthesize(), length in code points, and the sample where the word's audio begins.
struct EspeakWordEvent {
  int text_position = 0;
  int length = 0;
  int64_t sample = 0;
};

struct EspeakOutput {
  PcmAudio audio;
  std::vector<EspeakWordEvent> words;
};

class EspeakEngine {
 public:
  // The shared instance; initialises libespeak-ng on first use. Throws SpeechError when
  // espeak-ng's data cannot be loaded.
  static EspeakEngine &instance();

  int sample_rate() const noexcept { return sample_rate_; }
  const std::vector<EspeakVoice> &voices() const noexcept { return voices_; }

  // Every language code some voice speaks, sorted.
  std::vector<std::string> languages() const;

  // The voice identifier for a BCP-47 tag ("en", "en-GB", "pt-BR", "de"; see language.hpp for
  // names): exact match first, then the primary subtag, then a regional voice of it; among
  // several, the one espeak-ng prefers for that language ("en" is British English, "fr" the
  // French of France). Throws SpeechError("language", ...) listing the available languages
  // when none matches.
  std::string voice_for_language(std::string_view language) const;

  // Synthesises UTF-8 `text` (plain text, not SSML) with a sentence pause at the end.
  // Throws SpeechError naming "voice", "rate" or "pitch" for bad settings. Thread-safe
  // (serialised).
  EspeakOutput synthesize(std::string_view text, const VoiceSettings &settings);

 private:
  EspeakEngine();
  std::mutex mutex_;
  int sample_rate_ = 0;
  std::vector<EspeakVoice> voices_;
};

// Checks rate and pitch ranges; throws SpeechError naming the field.
void validate_voice_settings(const VoiceSettings &settings);

}  // namespace automuse::speech
