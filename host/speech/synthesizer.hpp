// host/speech/synthesizer.hpp — a whole script to audio plus one timing per word: the script
// is cleaned, split into sentences, each sentence synthesised (several at once when the
// backend allows it: espeak_pool.hpp), and the pieces joined with every timing offset by the
// audio before it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "speech/espeak_engine.hpp"
#include "speech/pcm_audio.hpp"
#include "speech/script_text.hpp"
#include "speech/word_timing.hpp"

namespace automuse::speech {

struct SynthesisOptions {
  std::string language = "en";  // picks the voice when `voice` is empty
  std::string voice;            // an espeak-ng voice ("en-us", "gmw/en-US", "en+f3")
  int rate = 175;               // words per minute, 80..450
  int pitch = 50;               // 0..100
  // Sentences in flight at once. 0: as many as the shared worker pool has processes (one per
  // core), or 1 without a pool. 1: one after another in this process (libespeak-ng is not
  // thread-safe, so in-process synthesis is serialised). More: that many through the pool.
  unsigned parallel = 0;
};

struct Speech {
  PcmAudio audio;
  std::vector<WordTiming> words;  // monotonic, one per spoken word of the script
};

// Synthesises one piece of cleaned text. Must be callable from several threads at once.
using ChunkSynthesizer =
    std::function<EspeakOutput(const std::string &text, const VoiceSettings &settings)>;

// The in-process libespeak-ng backend (serialised by the engine's mutex).
ChunkSynthesizer in_process_espeak();

class EspeakPool;
struct WorkerStamp;
// A backend that speaks in `pool`'s worker processes; `observe` (optional) is told which
// worker spoke each sentence and when. The pool must outlive the backend.
ChunkSynthesizer pooled_espeak(EspeakPool &pool,
                               std::function<void(const WorkerStamp &)> observe = {});

// pooled_espeak, but a sentence the workers cannot speak at all (the worker executable will not
// start, or keeps dying) is spoken in-process instead; errors about the request itself (voice,
// rate, pitch) still throw. What synthesize_script uses by default.
ChunkSynthesizer pooled_espeak_or_in_process(EspeakPool &pool);

// The voice settings the options resolve to (language -> voice). Throws SpeechError
// ("language", "voice", "rate", "pitch").
VoiceSettings resolve_voice(const SynthesisOptions &options);

// Throws SpeechError("text", ...) when the script has nothing to speak. Without a backend,
// a single sentence is spoken in-process (no process to wake) and several go to the shared
// pool as `options.parallel` says.
Speech synthesize_script(std::string_view script, const SynthesisOptions &options,
                         const ChunkSynthesizer &backend = {});

// Word timings for one synthesised chunk, from the synthesiser's word events, each start
// moved to where the voice actually begins and each end to where it stops. `words` are the
// script's words, `text` the chunk's speech text; times are relative to the chunk.
std::vector<WordTiming> chunk_word_timings(const std::vector<ScriptWord> &words,
                                           const SpeechText &text, const EspeakOutput &output);

}  // namespace automuse::speech
