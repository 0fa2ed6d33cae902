// host/speech/synthesizer.cpp — sentence chunks, their synthesis, and joining.
#include "speech/synthesizer.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "speech/espeak_pool.hpp"
#include "speech/language.hpp"
#include "speech/script_text.hpp"
#include "speech/silence.hpp"

namespace automuse::speech {

ChunkSynthesizer in_process_espeak() {
  return [](const std::string &text, const VoiceSettings &settings) {
    return EspeakEngine::instance().synthesize(text, settings);
  };
}

ChunkSynthesizer pooled_espeak(EspeakPool &pool, std::function<void(const WorkerStamp &)> observe) {
  return [&pool, observe](const std::string &text, const VoiceSettings &settings) {
    WorkerStamp stamp;
    EspeakOutput out = pool.synthesize(text, settings, &stamp);
    if (observe) observe(stamp);
    return out;
  };
}

ChunkSynthesizer pooled_espeak_or_in_process(EspeakPool &pool) {
  return [&pool](const std::string &text, const VoiceSettings &settings) {
    try {
      return pool.synthesize(text, settings);
    } catch (const SpeechError &e) {
      if (e.field() != "espeak-ng worker") throw;
      return EspeakEngine::instance().synthesize(text, settings);
    }
  };
}

VoiceSettings resolve_voice(const SynthesisOptions &options) {
  VoiceSettings s;
  s.rate = options.rate;
  s.pitch = options.pitch;
  if (!options.voice.empty()) {
    s.voice = options.voice;
  } else {
    const std::string tag = language_tag(options.language);
    try {
      s.voice = EspeakEngine::instance().voice_for_language(tag);
    } catch (const SpeechError &e) {
      if (tag == options.language) throw;
      // Name the language as the account wrote it too, not only its code.
      throw SpeechError(e.field(), "'" + options.language + "' (" + tag +
                                       "): " + std::string(e.what()).substr(e.field().size() + 2));
    }
  }
  validate_voice_settings(s);
  return s;
}

std::vector<WordTiming> chunk_word_timings(const std::vector<ScriptWord> &words,
                                           const SpeechText &text, const EspeakOutput &output) {
  const PcmAudio &audio = output.audio;
  const double sr = audio.sample_rate;
  const size_t n = text.word_index.size();
  // First event per word; several events can belong to one word ("2024" is read as words).
  std::vector<std::optional<int64_t>> first(n);
  for (const EspeakWordEvent &e : output.words) {
    size_t k = text.word_for_position(e.text_position);
    if (k < n && (!first[k] || e.sample < *first[k])) first[k] = e.sample;
  }
  // Words the synthesiser gave no event get the start of the next word that has one.
  const int64_t total = static_cast<int64_t>(audio.samples.size());
  std::vector<int64_t> start(n);
  int64_t next = total;
  for (size_t k = n; k-- > 0;) {
    if (first[k]) next = std::min(*first[k], next);
    start[k] = next;
  }
  for (size_t k = 1; k < n; ++k) start[k] = std::max(start[k], start[k - 1]);

  SilenceOptions so;
  std::vector<bool> voiced = voiced_frames(audio, so);
  const int64_t frame = std::max<int64_t>(1, static_cast<int64_t>(sr * so.frame_seconds));
  auto is_voiced = [&](int64_t sample) {
    size_t f = static_cast<size_t>(sample / frame);
    return f < voiced.size() && voiced[f];
  };

  std::vector<WordTiming> out;
  out.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    int64_t limit = k + 1 < n ? start[k + 1] : total;
    // espeak-ng reports a word at the start of the pause before it: move to the voice onset.
    int64_t s = start[k];
    while (s < limit && !is_voiced(s)) s += frame;
    if (s >= limit) s = start[k];
    // The end is where the voice stops before the next word (or the chunk's end).
    int64_t e = limit;
    while (e > s && !is_voiced(e - 1)) e -= frame;
    e = std::clamp<int64_t>(e, s, limit);
    const ScriptWord &w = words[text.word_index[k]];
    out.push_back(
        {w.shown, static_cast<double>(s) / sr, static_cast<double>(e) / sr, w.begin, w.shown_end});
  }
  return out;
}

Speech synthesize_script(std::string_view script, const SynthesisOptions &options,
                         const ChunkSynthesizer &backend) {
  VoiceSettings settings = resolve_voice(options);
  std::vector<ScriptWord> words = split_script(script);
  std::vector<SpeechText> chunks;
  for (auto [first, last] : sentence_ranges(words)) {
    SpeechText st = make_speech_text(words, first, last);
    if (!st.word_index.empty()) chunks.push_back(std::move(st));
  }
  if (chunks.empty()) throw SpeechError("text", "the script has no words to speak");

  // The backend and how many sentences go at once (see SynthesisOptions::parallel).
  ChunkSynthesizer chosen = backend;
  unsigned parallel = options.parallel == 0 ? 1 : options.parallel;
  if (!chosen) {
    EspeakPool *pool = chunks.size() > 1 && options.parallel != 1 ? EspeakPool::shared() : nullptr;
    if (pool) {
      chosen = pooled_espeak_or_in_process(*pool);
      if (options.parallel == 0) parallel = pool->size();
    } else {
      chosen = in_process_espeak();
      parallel = 1;  // the engine is serialised: more threads would only wait
    }
  }

  // Sentences are independent: run up to `parallel` of them at once. The results are joined
  // in script order afterwards, so the order they finish in does not matter.
  std::vector<EspeakOutput> outputs(chunks.size());
  std::vector<std::vector<WordTiming>> timings(chunks.size());
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&] {
    for (size_t i; (i = next.fetch_add(1)) < chunks.size();) {
      try {
        outputs[i] = chosen(chunks[i].text, settings);
        timings[i] = chunk_word_timings(words, chunks[i], outputs[i]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = chunks.size();
      }
    }
  };
  unsigned threads = std::clamp<unsigned>(parallel, 1, static_cast<unsigned>(chunks.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (auto &t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  Speech speech;
  speech.audio.sample_rate = outputs.front().audio.sample_rate;
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (outputs[i].audio.sample_rate != speech.audio.sample_rate)
      throw SpeechError("espeak-ng", "sentences came back at different sample rates");
    double offset = speech.audio.duration();
    for (WordTiming w : timings[i]) {
      w.start += offset;
      w.end += offset;
      speech.words.push_back(std::move(w));
    }
    speech.audio.samples.insert(speech.audio.samples.end(), outputs[i].audio.samples.begin(),
                                outputs[i].audio.samples.end());
  }
  return speech;
}

}  // namespace automuse::speech
