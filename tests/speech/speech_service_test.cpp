// tests/speech/speech_service_test.cpp — automuse.speech/1 through its C table on a real host
// core (runtime, job, registry) with a real cache folder and real espeak-ng.
#include "speech/speech_service.hpp"

#include <automuse/speech.h>
#include <automuse_render/captions.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "cache/cache.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "speech/pcm_audio.hpp"
#include "speech/synthesizer.hpp"
#include "support/temp_folder.hpp"

using namespace automuse;
using namespace automuse::speech;
namespace fs = std::filesystem;

namespace {

struct Result {
  am_status status = AM_INTERNAL;
  std::string error;
  bool has_result = false;
  std::string audio_path, words_json, provider;
  double duration = 0;
  size_t word_count = 0;
  std::vector<std::string> words;
  bool from_cache = false, aligned = false;
};

struct Waiter {
  std::promise<Result> promise;
  std::atomic<int> calls{0};
  static void done(void *user, am_status status, am_str error, const am_speech_result *r) {
    auto *w = static_cast<Waiter *>(user);
    if (w->calls.fetch_add(1) > 0) return;  // a second call is counted and fails the test
    Result out;
    out.status = status;
    out.error.assign(error.data, error.len);
    if (r) {
      out.has_result = true;
      out.audio_path.assign(r->audio_path.data, r->audio_path.len);
      out.words_json.assign(r->words_json.data, r->words_json.len);
      out.provider.assign(r->provider.data, r->provider.len);
      out.duration = r->duration;
      out.word_count = r->word_count;
      for (size_t i = 0; i < r->word_count; ++i)
        out.words.emplace_back(r->words[i].text.data, r->words[i].text.len);
      out.from_cache = r->from_cache;
      out.aligned = r->aligned;
    }
    w->promise.set_value(std::move(out));
  }
  Result wait() {
    auto f = promise.get_future();
    EXPECT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return f.get();
  }
};

am_str S(const std::string &s) {
  return am_str{s.data(), s.size()};
}

class SpeechServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = std::make_unique<cache::Cache>(dir_ / "cache");
    SpeechServiceConfig cfg;
    cfg.output_dir = dir_ / "out";
    cfg.cache = cache_.get();
    service_ = std::make_unique<SpeechService>(cfg);
    registry_.add(AM_SPEECH_SERVICE_ID, service_->table());
    ctx_ = core::make_plugin_context("test", registry_, runtime_);
    speech_ =
        static_cast<const am_speech *>(ctx_->host.get_service(&ctx_->host, AM_SPEECH_SERVICE_ID));
    job_ = runtime_.make_job("speech-test");
  }
  void TearDown() override { job_->wait_idle(); }

  am_speech_request request(const std::string &text) {
    am_speech_request r{};
    r.struct_size = sizeof r;
    text_ = text;
    r.text = S(text_);
    return r;
  }

  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
  core::Runtime runtime_{1, 2};
  core::ServiceRegistry registry_;
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<SpeechService> service_;
  std::unique_ptr<core::PluginContext> ctx_;
  const am_speech *speech_ = nullptr;
  core::JobPtr job_;
  std::string text_;
};

}  // namespace

TEST_F(SpeechServiceTest, SynthesizesToWavWithTimingsThenHitsTheCache) {
  ASSERT_NE(speech_, nullptr);
  auto req = request("Caching makes the second run free. Nice!");
  Waiter first;
  am_op_id id = speech_->synthesize(&ctx_->host, job_.get(), &req, Waiter::done, &first);
  EXPECT_NE(id, 0u);
  Result a = first.wait();
  ASSERT_EQ(a.status, AM_OK) << a.error;
  EXPECT_EQ(a.provider, "espeak");
  EXPECT_FALSE(a.from_cache);
  EXPECT_FALSE(a.aligned);
  ASSERT_EQ(a.word_count, 7u);
  EXPECT_EQ(a.words.front(), "Caching");
  EXPECT_EQ(a.words.back(), "Nice!");
  PcmAudio wav = read_wav_file(a.audio_path);  // really on disk, really a WAV
  EXPECT_NEAR(wav.duration(), a.duration, 1e-9);
  auto words = word_timings_from_json(a.words_json);
  ASSERT_EQ(words.size(), 7u);
  EXPECT_LE(words.back().end, wav.duration());

  Waiter second;
  speech_->synthesize(&ctx_->host, job_.get(), &req, Waiter::done, &second);
  Result b = second.wait();
  ASSERT_EQ(b.status, AM_OK) << b.error;
  EXPECT_TRUE(b.from_cache);
  EXPECT_NE(b.audio_path, a.audio_path);
  EXPECT_EQ(read_wav_file(b.audio_path).samples, wav.samples);
  auto cached_words = word_timings_from_json(b.words_json);
  ASSERT_EQ(cached_words.size(), words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(cached_words[i].text, words[i].text);
    EXPECT_NEAR(cached_words[i].start, words[i].start, 1e-9);
    EXPECT_NEAR(cached_words[i].end, words[i].end, 1e-9);
  }

  // A different rate is a different entry.
  req.rate = 250;
  Waiter third;
  speech_->synthesize(&ctx_->host, job_.get(), &req, Waiter::done, &third);
  Result c = third.wait();
  ASSERT_EQ(c.status, AM_OK);
  EXPECT_FALSE(c.from_cache);
  EXPECT_LT(c.duration, a.duration);
  EXPECT_EQ(first.calls + second.calls + third.calls, 3);
}

TEST_F(SpeechServiceTest, WritesToTheRequestedPathAndLanguage) {
  auto req = request("Bonjour à tous, et merci.");
  std::string lang = "fr", out = (dir_ / "voice.wav").string();
  req.language = S(lang);
  req.output_path = S(out);
  req.no_cache = true;
  Waiter w;
  speech_->synthesize(&ctx_->host, job_.get(), &req, Waiter::done, &w);
  Result r = w.wait();
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.audio_path, out);
  EXPECT_EQ(r.word_count, 5u);
  EXPECT_EQ(r.words[1], "à");
  EXPECT_GT(read_wav_file(out).duration(), 1.0);
  EXPECT_EQ(cache_->stats().entries, 0);
}

TEST_F(SpeechServiceTest, BadInputFailsWithTheFieldNamed) {
  auto req = request("Hello");
  std::string lang = "zz-unknown";
  req.language = S(lang);
  Waiter w;
  speech_->synthesize(&ctx_->host, job_.get(), &req, Waiter::done, &w);
  Result r = w.wait();
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT);
  EXPECT_FALSE(r.has_result);
  EXPECT_EQ(r.error.rfind("language:", 0), 0u) << r.error;
  EXPECT_NE(r.error.find("'zz-unknown'"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("pt-BR"), std::string::npos) << r.error;  // the hint

  auto req1 = request("Hello");
  std::string voiceless = "Zulu";  // ICU knows it; espeak-ng has no voice for it
  req1.language = S(voiceless);
  Waiter w1;
  speech_->synthesize(&ctx_->host, job_.get(), &req1, Waiter::done, &w1);
  Result r1 = w1.wait();
  EXPECT_EQ(r1.status, AM_INVALID_ARGUMENT);
  EXPECT_EQ(r1.error.rfind("language:", 0), 0u) << r1.error;
  EXPECT_NE(r1.error.find("available: "), std::string::npos) << r1.error;

  auto req2 = request("Hello");
  std::string provider = "nosuch";
  req2.provider = S(provider);
  Waiter w2;
  speech_->synthesize(&ctx_->host, job_.get(), &req2, Waiter::done, &w2);
  Result r2 = w2.wait();
  EXPECT_EQ(r2.status, AM_INVALID_ARGUMENT);
  EXPECT_NE(r2.error.find("available: espeak"), std::string::npos) << r2.error;

  auto req3 = request("Hello");
  req3.speed = 9;
  Waiter w3;
  speech_->synthesize(&ctx_->host, job_.get(), &req3, Waiter::done, &w3);
  EXPECT_EQ(w3.wait().status, AM_INVALID_ARGUMENT);
}

TEST_F(SpeechServiceTest, CancelCompletesOnceWithCancelled) {
  std::string text;
  for (int i = 0; i < 12; ++i) text += "This sentence keeps the synthesiser busy for a while. ";
  auto req = request(text);
  req.no_cache = true;
  Waiter w;
  am_op_id id = speech_->synthesize(&ctx_->host, job_.get(), &req, Waiter::done, &w);
  speech_->cancel(&ctx_->host, job_.get(), id);
  Result r = w.wait();
  EXPECT_EQ(r.status, AM_CANCELLED);
  job_->wait_idle();
  speech_->cancel(&ctx_->host, job_.get(), id);  // finished: harmless
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(w.calls.load(), 1);
}

TEST_F(SpeechServiceTest, AlignsAnExistingWav) {
  std::string script = "Timings for audio that came without them.";
  SynthesisOptions fast;
  fast.rate = 240;
  Speech truth = synthesize_script(script, fast);
  fs::path wav = dir_ / "given.wav";
  write_wav_file(wav, truth.audio);
  std::string path = wav.string();
  am_align_request req{sizeof(am_align_request), S(script), S(path), {nullptr, 0}};
  Waiter w;
  speech_->align(&ctx_->host, job_.get(), &req, Waiter::done, &w);
  Result r = w.wait();
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_TRUE(r.aligned);
  EXPECT_EQ(r.audio_path, path);
  ASSERT_EQ(r.word_count, truth.words.size());
  auto words = word_timings_from_json(r.words_json);
  for (size_t i = 0; i < words.size(); ++i) EXPECT_NEAR(words[i].start, truth.words[i].start, 0.15);

  std::string missing = (dir_ / "missing.wav").string();
  am_align_request bad{sizeof(am_align_request), S(script), S(missing), {nullptr, 0}};
  Waiter w2;
  speech_->align(&ctx_->host, job_.get(), &bad, Waiter::done, &w2);
  Result r2 = w2.wait();
  EXPECT_EQ(r2.status, AM_IO);
  EXPECT_NE(r2.error.find("missing.wav"), std::string::npos);
}

TEST_F(SpeechServiceTest, CaptionsAndVoices) {
  std::vector<WordTiming> words{
      {"One", 0.0, 0.3, 0, 3}, {"two.", 0.35, 0.6, 4, 8}, {"Three", 1.0, 1.4, 9, 14}};
  std::string json = word_timings_to_json(words);
  am_caption_request req{};
  req.struct_size = sizeof req;
  req.words_json = S(json);
  req.format = AM_CAPTIONS_SRT;
  am_buffer out{}, err{};
  ASSERT_EQ(speech_->captions(&ctx_->host, &req, &out, &err), AM_OK);
  std::string srt(reinterpret_cast<const char *>(out.data), out.size);
  am_buffer_release(&out);
  auto cues = render::parse_srt(srt).cues;
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[0].lines[0], "One two.");

  std::string style = R"({"color":"#FFFFFF","highlight_color":"#00FF00","position":"top"})";
  req.style_json = S(style);
  req.format = AM_CAPTIONS_ASS;
  ASSERT_EQ(speech_->captions(&ctx_->host, &req, &out, &err), AM_OK);
  std::string ass(reinterpret_cast<const char *>(out.data), out.size);
  am_buffer_release(&out);
  EXPECT_NE(ass.find("{\\1c&H0000FF00&}"), std::string::npos);
  // "auto" characters per line resolve against the request's canvas.
  std::string auto_style = R"({"max_chars_per_line":"auto"})";
  req.style_json = S(auto_style);
  ASSERT_EQ(speech_->captions(&ctx_->host, &req, &out, &err), AM_OK);
  am_buffer_release(&out);

  std::string bad_style = R"({"color":"green"})";
  req.style_json = S(bad_style);
  EXPECT_EQ(speech_->captions(&ctx_->host, &req, &out, &err), AM_INVALID_ARGUMENT);
  std::string msg(reinterpret_cast<const char *>(err.data), err.size);
  am_buffer_release(&err);
  EXPECT_EQ(msg.rfind("style.color:", 0), 0u) << msg;

  std::string espeak = "espeak";
  ASSERT_EQ(speech_->voices(&ctx_->host, S(espeak), &out), AM_OK);
  std::string voices(reinterpret_cast<const char *>(out.data), out.size);
  am_buffer_release(&out);
  EXPECT_NE(voices.find("\"gmw/en\""), std::string::npos);
  std::string nosuch = "nosuch";
  EXPECT_EQ(speech_->voices(&ctx_->host, S(nosuch), &out), AM_UNSUPPORTED);
}
