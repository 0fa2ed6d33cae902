// host/speech/espeak_engine.cpp — libespeak-ng in synchronous mode: audio and word events come
// back through the synth callback during espeak_Synth, routed by the call's user_data.
#include "speech/espeak_engine.hpp"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

#include "speech/word_timing.hpp"

namespace automuse::speech {
namespace {

std::string normalise_language(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '_') c = '-';
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

int synth_callback(short *wav, int count, espeak_EVENT *events) {
  if (!events) return 0;
  auto *out = static_cast<EspeakOutput *>(events->user_data);
  if (!out) return 0;
  if (wav && count > 0) out->audio.samples.insert(out->audio.samples.end(), wav, wav + count);
  for (espeak_EVENT *e = events; e->type != espeakEVENT_LIST_TERMINATED; ++e) {
    if (e->type == espeakEVENT_WORD)
      out->words.push_back({e->text_position, e->length, static_cast<int64_t>(e->sample)});
  }
  return 0;  // continue
}

}  // namespace

void validate_voice_settings(const VoiceSettings &s) {
  if (s.rate < espeakRATE_MINIMUM || s.rate > espeakRATE_MAXIMUM)
    throw SpeechError("rate",
                      "must be between 80 and 450 words per minute, got " + std::to_string(s.rate));
  if (s.pitch < 0 || s.pitch > 100)
    throw SpeechError("pitch", "must be between 0 and 100, got " + std::to_string(s.pitch));
  if (s.voice.empty()) throw SpeechError("voice", "is empty");
}

EspeakEngine &EspeakEngine::instance() {
  static std::mutex init_mutex;
  static std::unique_ptr<EspeakEngine> engine;
  std::lock_guard lock(init_mutex);
  if (!engine) engine.reset(new EspeakEngine());
  return *engine;
}

EspeakEngine::EspeakEngine() {
  sample_rate_ =
      espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (sample_rate_ <= 0)
    throw SpeechError("espeak-ng", "cannot initialise (is espeak-ng-data installed?)");
  espeak_SetSynthCallback(synth_callback);
  for (const espeak_VOICE **v = espeak_ListVoices(nullptr); v && *v; ++v) {
    EspeakVoice voice;
    voice.name = (*v)->name ? (*v)->name : "";
    voice.identifier = (*v)->identifier ? (*v)->identifier : "";
    // languages: repeated {priority byte, NUL-terminated name}, ended by a 0 priority.
    for (const char *l = (*v)->languages; l && *l; l += std::char_traits<char>::length(l + 1) + 2) {
      voice.languages.push_back(normalise_language(l + 1));
      voice.priorities.push_back(static_cast<unsigned char>(*l));
    }
    // MBROLA voices need separately installed databases: leave them out.
    if (voice.identifier.rfind("mb/", 0) == 0) continue;
    voices_.push_back(std::move(voice));
  }
}

std::vector<std::string> EspeakEngine::languages() const {
  std::set<std::string> all;
  for (const auto &v : voices_) all.insert(v.languages.begin(), v.languages.end());
  return {all.begin(), all.end()};
}

std::string EspeakEngine::voice_for_language(std::string_view language) const {
  std::string want = normalise_language(language);
  if (want.empty()) throw SpeechError("language", "is empty");
  // The preferred voice with a language that `matches`, or nullptr.
  auto best = [this](auto matches) {
    const EspeakVoice *found = nullptr;
    int found_priority = 0;
    for (const auto &v : voices_)
      for (size_t i = 0; i < v.languages.size(); ++i)
        if (matches(v.languages[i]) && (!found || v.priorities[i] < found_priority))
          found = &v, found_priority = v.priorities[i];
    return found;
  };
  std::string primary = want.substr(0, want.find('-'));
  const EspeakVoice *v = best([&](const std::string &l) { return l == want; });
  if (!v) v = best([&](const std::string &l) { return l == primary; });
  if (!v) v = best([&](const std::string &l) { return l.rfind(primary + "-", 0) == 0; });
  if (v) return v->identifier;
  std::string list;
  for (const auto &l : languages()) list += (list.empty() ? "" : ", ") + l;
  throw SpeechError(
      "language", "no espeak-ng voice speaks '" + std::string(language) + "'; available: " + list);
}

EspeakOutput EspeakEngine::synthesize(std::string_view text, const VoiceSettings &settings) {
  validate_voice_settings(settings);
  EspeakOutput out;
  out.audio.sample_rate = sample_rate_;
  std::string buffer(text);
  std::lock_guard lock(mutex_);
  if (espeak_SetVoiceByName(settings.voice.c_str()) != EE_OK)
    throw SpeechError("voice", "espeak-ng has no voice '" + settings.voice + "'");
  espeak_SetParameter(espeakRATE, settings.rate, 0);
  espeak_SetParameter(espeakPITCH, settings.pitch, 0);
  espeak_SetParameter(espeakPUNCTUATION, espeakPUNCT_NONE, 0);
  espeak_ERROR err = espeak_Synth(buffer.c_str(), buffer.size() + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, &out);
  if (err != EE_OK)
    throw SpeechError("espeak-ng", "synthesis failed (" + std::to_string(err) + ")");
  espeak_Synchronize();
  return out;
}

}  // namespace automuse::speech
