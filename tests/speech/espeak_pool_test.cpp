// tests/speech/espeak_pool_test.cpp — sentences really spoken at once by espeak-ng worker
// processes: which worker spoke each sentence and when (the overlap is counted, not timed),
// the joined result equal to in-process synthesis, a dead worker replaced, errors named.
#include "speech/espeak_pool.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "speech/script_text.hpp"
#include "speech/synthesizer.hpp"
#include "speech/word_timing.hpp"

using namespace automuse::speech;

namespace {

const char *kScript =
    "The octopus has three hearts and blue blood. Two hearts pump blood to the gills, while "
    "the third pumps it to the rest of the body. Its arms hold most of its neurons. Each arm "
    "can taste what it touches. When it swims, the main heart stops beating. That is why it "
    "prefers to crawl.";

size_t spoken_word_count(const std::string &script) {
  size_t n = 0;
  for (const auto &w : split_script(script)) n += w.speaks();
  return n;
}

EspeakPool make_pool(unsigned size) {
  auto path = find_espeak_worker();
  if (!path) throw std::runtime_error("automuse-espeak-worker not found");
  return EspeakPool(*path, size);
}

// The largest number of intervals that are open at one moment.
size_t max_overlap(const std::vector<WorkerStamp> &stamps) {
  std::vector<std::pair<int64_t, int>> edges;
  for (const auto &s : stamps) {
    edges.push_back({s.started_ns, +1});
    edges.push_back({s.finished_ns, -1});
  }
  std::sort(edges.begin(), edges.end());  // an end sorts before a start at the same instant
  int open = 0, most = 0;
  for (auto [t, d] : edges) most = std::max(most, open += d);
  return static_cast<size_t>(most);
}

}  // namespace

TEST(EspeakPool, TheBuildsWorkerIsFound) {
  auto path = find_espeak_worker();
  ASSERT_TRUE(path);
  EXPECT_EQ(path->filename(), "automuse-espeak-worker");
  ASSERT_NE(EspeakPool::shared(), nullptr);
  EXPECT_GE(EspeakPool::shared()->size(), 2u);
}

TEST(EspeakPool, SentencesAreSpokenAtTheSameTimeInSeveralProcesses) {
  EspeakPool pool(*find_espeak_worker(), 3);
  SynthesisOptions o;
  o.parallel = 3;
  // The workers start on first use, one after another; a script spoken while they start can
  // be served by the first one alone. Measure the next scripts, with all three running.
  synthesize_script(kScript, o, pooled_espeak(pool));
  auto speak = [&](std::vector<WorkerStamp> &stamps) {
    std::mutex m;
    return synthesize_script(kScript, o, pooled_espeak(pool, [&](const WorkerStamp &st) {
                               std::lock_guard lock(m);
                               stamps.push_back(st);
                             }));
  };
  std::vector<WorkerStamp> stamps;
  Speech s = speak(stamps);
  ASSERT_EQ(stamps.size(), 6u);  // one per sentence
  std::set<int> pids;
  for (const auto &st : stamps) {
    pids.insert(st.pid);
    EXPECT_LE(st.started_ns, st.finished_ns);
  }
  EXPECT_EQ(pids.size(), 3u);
  EXPECT_EQ(pool.started(), 3u);
  EXPECT_FALSE(pids.count(static_cast<int>(::getpid())));
  EXPECT_EQ(s.words.size(), spoken_word_count(kScript));
  // At some moment several workers were speaking sentences of one script at once. On a machine
  // whose cores are all busy elsewhere, one script's sentences can happen to be spoken one
  // after another (each takes milliseconds), so a few scripts are given the chance.
  size_t most = max_overlap(stamps);
  for (int attempt = 1; attempt < 8 && most < 2; ++attempt) {
    std::vector<WorkerStamp> again;
    speak(again);
    most = max_overlap(again);
  }
  EXPECT_GE(most, 2u);
}

TEST(EspeakPool, SentencesAreJoinedInScriptOrderWithExactOffsets) {
  // Whatever order the workers finish in, the joined audio is the sentences' audio in script
  // order, and each word's time is its time in its sentence plus the audio before it.
  EspeakPool pool = make_pool(3);
  std::mutex m;
  std::map<std::string, EspeakOutput> spoken;
  ChunkSynthesizer pooled = pooled_espeak(pool);
  ChunkSynthesizer recording = [&](const std::string &text, const VoiceSettings &v) {
    EspeakOutput out = pooled(text, v);
    std::lock_guard lock(m);
    spoken[text] = out;
    return out;
  };
  SynthesisOptions o;
  o.parallel = 3;
  Speech joined = synthesize_script(kScript, o, recording);

  std::vector<ScriptWord> words = split_script(kScript);
  std::vector<int16_t> expected_audio;
  std::vector<WordTiming> expected_words;
  for (auto [first, last] : sentence_ranges(words)) {
    SpeechText text = make_speech_text(words, first, last);
    ASSERT_TRUE(spoken.count(text.text)) << text.text;
    const EspeakOutput &out = spoken[text.text];
    double offset = static_cast<double>(expected_audio.size()) / out.audio.sample_rate;
    for (WordTiming w : chunk_word_timings(words, text, out)) {
      w.start += offset;
      w.end += offset;
      expected_words.push_back(w);
    }
    expected_audio.insert(expected_audio.end(), out.audio.samples.begin(), out.audio.samples.end());
  }
  EXPECT_EQ(spoken.size(), 6u);
  EXPECT_TRUE(joined.audio.samples == expected_audio);
  ASSERT_EQ(joined.words.size(), expected_words.size());
  for (size_t i = 0; i < expected_words.size(); ++i) {
    EXPECT_EQ(joined.words[i].text, expected_words[i].text);
    EXPECT_DOUBLE_EQ(joined.words[i].start, expected_words[i].start) << i;
    EXPECT_DOUBLE_EQ(joined.words[i].end, expected_words[i].end) << i;
  }

  // And it sounds like the same script spoken in-process: espeak-ng's length varies by up to
  // ~20 ms per call even for one text, so compare within 2 %.
  SynthesisOptions serial;
  serial.parallel = 1;
  Speech alone = synthesize_script(kScript, serial);
  ASSERT_EQ(alone.words.size(), joined.words.size());
  EXPECT_NEAR(alone.audio.duration(), joined.audio.duration(), 0.02 * alone.audio.duration());
  for (size_t i = 0; i < alone.words.size(); ++i)
    EXPECT_EQ(alone.words[i].begin, joined.words[i].begin);
}

TEST(EspeakPool, ADeadWorkerIsReplaced) {
  EspeakPool pool = make_pool(1);
  VoiceSettings v;
  WorkerStamp first, second;
  EspeakOutput a = pool.synthesize("Before.", v, &first);
  ASSERT_GT(first.pid, 0);
  ASSERT_EQ(::kill(first.pid, SIGKILL), 0);
  EspeakOutput b = pool.synthesize("After the crash.", v, &second);
  EXPECT_NE(second.pid, first.pid);
  EXPECT_EQ(pool.started(), 2u);
  EXPECT_GT(b.audio.samples.size(), a.audio.samples.size());
  EXPECT_FALSE(b.words.empty());
}

TEST(EspeakPool, ErrorsNameTheField) {
  EspeakPool pool = make_pool(1);
  VoiceSettings bad_voice;
  bad_voice.voice = "no-such-voice-xyz";
  try {
    pool.synthesize("Hello.", bad_voice);
    FAIL() << "no error";
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "voice");
    EXPECT_NE(std::string(e.what()).find("no-such-voice-xyz"), std::string::npos);
  }
  VoiceSettings bad_rate;
  bad_rate.rate = 20;
  EXPECT_THROW(pool.synthesize("Hello.", bad_rate), SpeechError);
  // The worker survived the bad voice.
  EXPECT_EQ(pool.started(), 1u);
  EXPECT_FALSE(pool.synthesize("Still here.", VoiceSettings{}).words.empty());

  EspeakPool missing("/nonexistent/automuse-espeak-worker", 1);
  try {
    missing.synthesize("Hello.", VoiceSettings{});
    FAIL() << "no error";
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "espeak-ng worker");
    EXPECT_NE(std::string(e.what()).find("/nonexistent/automuse-espeak-worker"), std::string::npos);
  }
}

TEST(EspeakPool, WithoutWorkersSentencesAreSpokenInProcess) {
  EspeakPool missing("/nonexistent/automuse-espeak-worker", 2);
  SynthesisOptions o;
  o.parallel = 2;
  Speech s = synthesize_script(kScript, o, pooled_espeak_or_in_process(missing));
  EXPECT_EQ(s.words.size(), spoken_word_count(kScript));
  EXPECT_GT(s.audio.duration(), 10.0);
  EXPECT_EQ(missing.started(), 0u);
  // A bad request is still an error, not a reason to try elsewhere.
  VoiceSettings bad;
  bad.voice = "no-such-voice-xyz";
  EXPECT_THROW(pooled_espeak_or_in_process(missing)("Hello.", bad), SpeechError);
}

TEST(EspeakPool, ScriptsUseTheSharedPoolByDefault) {
  EspeakPool *shared = EspeakPool::shared();
  ASSERT_NE(shared, nullptr);
  Speech s = synthesize_script(kScript, {});
  EXPECT_GE(shared->started(), 1u);
  EXPECT_EQ(s.words.size(), spoken_word_count(kScript));
}
