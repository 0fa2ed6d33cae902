// host/speech/speech_provider.hpp — what a speech provider does for the service: speak a
// script asynchronously and hand back audio, with word timings when it has them. The
// service adds alignment, files, caching and the C binding around it.
#pragma once

#include <automuse/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "speech/pcm_audio.hpp"
#include "speech/word_timing.hpp"

struct am_job;

namespace automuse::speech {

struct ProviderRequest {
  std::string text;      // the script as written
  std::string language;  // "en" when not given
  std::string voice;     // provider's voice id; empty = provider default for the language
  int rate = 175;        // espeak
  int pitch = 50;        // espeak
  double speed = 1.0;    // network providers
};

struct ProviderAudio {
  PcmAudio audio;
  std::vector<WordTiming> words;
  bool has_timings = false;  // false: the service aligns the text to the audio
};

// Called exactly once, from any thread. `error` names the bad field when status is
// AM_INVALID_ARGUMENT.
using ProviderDone = std::function<void(am_status status, std::string error, ProviderAudio audio)>;

class SpeechProvider {
 public:
  virtual ~SpeechProvider() = default;
  virtual std::string name() const = 0;
  // Everything besides the text that changes the audio, for the cache key.
  virtual std::string identity(const ProviderRequest &request) const = 0;
  // Starts speaking; returns a function that aborts the work (it need not call `done`; the
  // service completes the operation as cancelled itself). `job` gives the worker pool.
  virtual std::function<void()> speak(am_job &job, const ProviderRequest &request,
                                      ProviderDone done) = 0;
  // [{"id","name","languages":[...]}]
  virtual std::string voices_json() const = 0;
};

// The offline default: libespeak-ng, sentences spoken at once by worker processes;
// `parallel` as SynthesisOptions::parallel (0: one per pool process).
std::unique_ptr<SpeechProvider> make_espeak_provider(unsigned parallel = 0);

// Maps a SpeechError's field to a status: bad input fields give AM_INVALID_ARGUMENT, file
// paths AM_IO, the engine AM_ERROR.
am_status status_for(const SpeechError &error);

}  // namespace automuse::speech
