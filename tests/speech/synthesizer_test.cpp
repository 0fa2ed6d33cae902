// tests/speech/synthesizer_test.cpp — real espeak-ng: audio plus word timings for scripts,
// voices by language, joining of sentences, WAV files read back.
#include "speech/synthesizer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "speech/espeak_engine.hpp"
#include "speech/script_text.hpp"
#include "speech/silence.hpp"

using namespace automuse::speech;

namespace {

// The words of a script that are spoken, as written.
std::vector<std::string> spoken_words(const std::string &script) {
  std::vector<std::string> out;
  for (const auto &w : split_script(script))
    if (w.speaks()) out.push_back(w.text);
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
  Speech a = synthesize_script(first, {});
  Speech b = synthesize_script(second, {});
  SynthesisOptions parallel;
  parallel.parallel = 2;
  Speech joined = synthesize_script(first + " " + second, parallel);
  ASSERT_EQ(joined.words.size(), a.words.size() + b.words.size());
  // espeak-ng's output varies by a few samples from call to call, so compare with a
  // tolerance well below a word's length: the second sentence's words sit after the first
  // sentence's audio, at the times they have when spoken alone.
  EXPECT_NEAR(joined.audio.duration(), a.audio.duration() + b.audio.duration(), 0.03);
  double first_len = joined.words[a.words.size()].start - b.words[0].start;
  EXPECT_NEAR(first_len, a.audio.duration(), 0.03);
  for (size_t i = 0; i < b.words.size(); ++i) {
    const WordTiming &w = joined.words[a.words.size() + i];
    EXPECT_EQ(w.text, b.words[i].text);
    EXPECT_NEAR(w.start - first_len, b.words[i].start, 0.03);
    EXPECT_EQ(w.begin, b.words[i].begin + first.size() + 1);
  }
  // Serial and concurrent synthesis give the same words at (nearly) the same times.
  SynthesisOptions serial;
  serial.parallel = 1;
  Speech s = synthesize_script(first + " " + second, serial);
  ASSERT_EQ(s.words.size(), joined.words.size());
  for (size_t i = 0; i < s.words.size(); ++i)
    EXPECT_NEAR(s.words[i].start, joined.words[i].start, 0.03);
  expect_good_timings(first + " " + second, joined);
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

TEST(Synthesizer, UnknownLanguageListsAvailableOnes) {
  SynthesisOptions o;
  o.language = "xx-klingon";
  try {
    synthesize_script("Hello", o);
    FAIL() << "expected an error";
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "language");
    std::string msg = e.what();
    EXPECT_NE(msg.find("xx-klingon"), std::string::npos);
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
  auto path = std::filesystem::temp_directory_path() / "automuse_speech_roundtrip.wav";
  write_wav_file(path, speech.audio);
  PcmAudio back = read_wav_file(path);
  EXPECT_EQ(back.sample_rate, speech.audio.sample_rate);
  EXPECT_EQ(back.samples, speech.audio.samples);
  EXPECT_EQ(std::filesystem::file_size(path), 44 + 2 * speech.audio.samples.size());
  std::filesystem::remove(path);
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
