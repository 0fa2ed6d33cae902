// tests/speech/synthesizer_test.cpp — real espeak-ng: audio plus word timings for scripts,
// voices by language, joining of sentences, WAV files read back.
#include "speech/synthesizer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>

#include "speech/espeak_engine.hpp"
#include "speech/script_text.hpp"
#include "speech/silence.hpp"
#include "support/temp_folder.hpp"

using namespace automuse::speech;

namespace {

// The words of a script that are spoken, as written and shown in captions (with an unspoken
// word after them that carries a mark: "friends 🎉!").
std::vector<std::string> spoken_words(const std::string &script) {
  std::vector<std::string> out;
  for (const auto &w : split_script(script))
    if (w.speaks()) out.push_back(w.shown);
  return out;
}

double rms(const PcmAudio &a, double from, double to) {
  size_t i0 = static_cast<size_t>(from * a.sample_rate),
         i1 = static_cast<size_t>(to * a.sample_rate);
  i1 = std::min(i1, a.samples.size());
  double sum = 0;
  for (size_t i = i0; i < i1; ++i) sum += double(a.samples[i]) * a.samples[i];
  return i1 > i0 ? std::sqrt(sum / double(i1 - i0)) : 0.0;
}

void expect_good_timings(const std::string &script, const Speech &speech) {
  ASSERT_EQ(speech.words.size(), spoken_words(script).size());
  auto expected = spoken_words(script);
  double prev_start = -1, prev_end = 0;
  for (size_t i = 0; i < speech.words.size(); ++i) {
    const WordTiming &w = speech.words[i];
    EXPECT_EQ(w.text, expected[i]);
    EXPECT_EQ(script.substr(w.begin, w.end_offset - w.begin), w.text);
    EXPECT_GT(w.start, prev_start) << w.text;       // strictly monotonic starts
    EXPECT_GE(w.start, prev_end - 1e-9) << w.text;  // no overlap
    EXPECT_GT(w.end, w.start) << w.text;
    EXPECT_LE(w.end, speech.audio.duration() + 1e-9);
    // Each word's span really holds voice.
    EXPECT_GT(rms(speech.audio, w.start, w.end), 300.0) << w.text;
    prev_start = w.start;
    prev_end = w.end;
  }
  // The timings cover the speech: the first word starts near the beginning and the last
  // ends where the voice stops.
  auto voiced = voiced_stretches(speech.audio);
  ASSERT_FALSE(voiced.empty());
  EXPECT_NEAR(speech.words.front().start, voiced.front().start, 0.05);
  EXPECT_NEAR(speech.words.back().end, voiced.back().end, 0.05);
}

}  // namespace

TEST(Synthesizer, WordTimingsMatchScriptAndAudio) {
  std::string script = "Hello there, friends 🎉! Visit https://www.example.com today.";
  Speech speech = synthesize_script(script, {});
  EXPECT_EQ(speech.audio.sample_rate, EspeakEngine::instance().sample_rate());
  EXPECT_GT(speech.audio.duration(), 1.5);
  expect_good_timings(script, speech);
  EXPECT_EQ(speech.words[4].text, "https://www.example.com");
}

TEST(Synthesizer, SentencesJoinWithOffsets) {
  std::string first = "The first sentence is short.";
  std::string second = "The second one follows it.";
  // Record what each sentence sounded like, to check the join against it exactly (espeak-ng's
  // output varies by a few milliseconds from call to call, so two runs never compare exactly).
  std::map<std::string, EspeakOutput> spoken;
  std::mutex m;
  ChunkSynthesizer recording = [&](const std::string &text, const VoiceSettings &v) {
    EspeakOutput out = in_process_espeak()(text, v);
    std::lock_guard lock(m);
    spoken[text] = out;
    return out;
  };
  SynthesisOptions two;
  two.parallel = 2;
  Speech joined = synthesize_script(first + " " + second, two, recording);
  ASSERT_EQ(spoken.size(), 2u);
  const EspeakOutput &a = spoken.at(first), &b = spoken.at(second);
  ASSERT_EQ(joined.audio.samples.size(), a.audio.samples.size() + b.audio.samples.size());
  EXPECT_TRUE(
      std::equal(a.audio.samples.begin(), a.audio.samples.end(), joined.audio.samples.begin()));
  EXPECT_TRUE(std::equal(b.audio.samples.begin(), b.audio.samples.end(),
                         joined.audio.samples.begin() + a.audio.samples.size()));
  // The second sentence's words sit after the first sentence's audio, at their times in it.
  auto words = split_script(first + " " + second);
  SpeechText second_text = make_speech_text(words, 5, words.size());
  ASSERT_EQ(second_text.text, second);
  auto b_words = chunk_word_timings(words, second_text, b);
  ASSERT_EQ(joined.words.size(), 5 + b_words.size());
  for (size_t i = 0; i < b_words.size(); ++i) {
    const WordTiming &w = joined.words[5 + i];
    EXPECT_EQ(w.text, b_words[i].text);
    EXPECT_DOUBLE_EQ(w.start, b_words[i].start + a.audio.duration());
    EXPECT_EQ((first + " " + second).substr(w.begin, w.end_offset - w.begin), w.text);
  }
  // Serial and concurrent synthesis (the worker pool) give the same words at nearly the same
  // times.
  SynthesisOptions serial;
  serial.parallel = 1;
  Speech s = synthesize_script(first + " " + second, serial);
  Speech pooled = synthesize_script(first + " " + second, two);
  ASSERT_EQ(s.words.size(), pooled.words.size());
  for (size_t i = 0; i < s.words.size(); ++i)
    EXPECT_NEAR(s.words[i].start, pooled.words[i].start, 0.06);
  expect_good_timings(first + " " + second, joined);
  expect_good_timings(first + " " + second, pooled);
}

TEST(Synthesizer, RateChangesDuration) {
  std::string script = "Speed changes how long this takes.";
  SynthesisOptions slow, fast;
  slow.rate = 120;
  fast.rate = 300;
  EXPECT_GT(synthesize_script(script, slow).audio.duration(),
            1.5 * synthesize_script(script, fast).audio.duration());
}

TEST(Synthesizer, LanguagePicksVoice) {
  EXPECT_EQ(EspeakEngine::instance().voice_for_language("de"), "gmw/de");
  EXPECT_EQ(EspeakEngine::instance().voice_for_language("pt_BR"), "roa/pt-BR");
  SynthesisOptions de;
  de.language = "de-DE";
  std::string script = "Guten Morgen, schöne Grüße aus München.";
  Speech speech = synthesize_script(script, de);
  expect_good_timings(script, speech);
}

TEST(Synthesizer, LanguageWithoutAVoiceListsAvailableOnes) {
  SynthesisOptions o;
  o.language = "Zulu";  // a language ICU knows, which espeak-ng does not speak
  try {
    synthesize_script("Hello", o);
    FAIL() << "expected an error";
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "language");
    std::string msg = e.what();
    EXPECT_NE(msg.find("'Zulu' (zu)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("available:"), std::string::npos);
    EXPECT_NE(msg.find(" de,"), std::string::npos);
    EXPECT_NE(msg.find(" en,"), std::string::npos);
  }
}

TEST(Synthesizer, BadSettingsNameTheField) {
  SynthesisOptions o;
  o.rate = 1000;
  EXPECT_THROW(
      {
        try {
          synthesize_script("Hello", o);
        } catch (const SpeechError &e) {
          EXPECT_EQ(e.field(), "rate");
          throw;
        }
      },
      SpeechError);
  SynthesisOptions v;
  v.voice = "no-such-voice-zz";
  try {
    synthesize_script("Hello", v);
    FAIL();
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "voice");
  }
  try {
    synthesize_script("🎉 🎉 ---", {});
    FAIL();
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "text");
  }
}

TEST(Synthesizer, WavFileRoundTrip) {
  Speech speech = synthesize_script("Write me to a file.", {});
  automuse::testing::TempFolder tmp;
  auto path = tmp / "roundtrip.wav";
  write_wav_file(path, speech.audio);
  PcmAudio back = read_wav_file(path);
  EXPECT_EQ(back.sample_rate, speech.audio.sample_rate);
  EXPECT_EQ(back.samples, speech.audio.samples);
  EXPECT_EQ(std::filesystem::file_size(path), 44 + 2 * speech.audio.samples.size());
  EXPECT_THROW(decode_wav("RIFF\0\0\0\0WAVEjunk", "bad.wav"), SpeechError);
}

TEST(WordTimingJson, RoundTripsAndRejectsBadFields) {
  std::vector<WordTiming> words{{"Hi", 0.1, 0.3, 0, 2}, {"you", 0.4, 0.6, 3, 6}};
  auto back = word_timings_from_json(word_timings_to_json(words));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].text, "you");
  EXPECT_DOUBLE_EQ(back[1].start, 0.4);
  EXPECT_EQ(back[1].end_offset, 6u);
  try {
    word_timings_from_json(R"([{"text":"a","start":0,"end":1},{"text":"b","start":"x","end":1}])");
    FAIL();
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "words[1].start");
  }
}
