// tests/speech/remote_speech_test.cpp — the network speech providers through the service and
// the real HTTP service, against loopback fakes that speak: OpenAI audio gets aligned word
// timings (accuracy measured against what the fake hid), ElevenLabs character times become
// word times, scripts go out sentence by sentence concurrently, results are cached by
// (provider, voice, text), and faults map to clear statuses.
#include "speech/remote_speech.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <set>

#include "cache/cache.hpp"
#include "core/runtime.hpp"
#include "http/http_client.hpp"
#include "speech/pcm_audio.hpp"
#include "speech/speech_service.hpp"
#include "support/released.hpp"
#include "support/speech/fake_speech_apis.hpp"
#include "support/temp_folder.hpp"

using namespace automuse;
using namespace automuse::speech;
using automuse::testing::FakeServer;
using automuse::testing::FakeSpeechApis;
using automuse::testing::Reply;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct Outcome {
  am_status status = AM_INTERNAL;
  std::string error;
  SpeechOutcome result;
};

class RemoteSpeechTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = std::make_unique<cache::Cache>(dir_ / "cache");
    SpeechServiceConfig cfg;
    cfg.output_dir = dir_;
    cfg.cache = cache_.get();
    service_ = std::make_unique<SpeechService>(cfg);
    // The providers' defaults: one sentence per request.
    OpenAiSpeechConfig oa;
    oa.base_url = server_.url("/v1");
    oa.api_key = FakeSpeechApis::kOpenAiKey;
    service_->add_provider(make_openai_speech_provider(*http_, oa));
    ElevenLabsConfig el;
    el.base_url = server_.base_url();
    el.api_key = FakeSpeechApis::kElevenKey;
    service_->add_provider(make_elevenlabs_provider(*http_, el));
    job_ = runtime_.make_job("remote-speech");
  }
  void TearDown() override { job_->wait_idle(); }

  Outcome speak(const std::string &provider, const std::string &text, bool use_cache = false,
                const std::string &voice = {}) {
    SpeechRequest r;
    r.provider = provider;
    r.speech.text = text;
    r.speech.voice = voice;
    r.use_cache = use_cache;
    auto promise = std::make_shared<std::promise<Outcome>>();
    service_->synthesize(*job_, r,
                         [promise](am_status s, const std::string &e, const SpeechOutcome *o) {
                           Outcome out{s, e, o ? *o : SpeechOutcome{}};
                           promise->set_value(std::move(out));
                         });
    auto f = promise->get_future();
    EXPECT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    return f.get();
  }

  // The fake's hidden timings for the whole script, sentence by sentence, offset like the
  // joined audio.
  std::vector<WordTiming> truth_for(const std::string &script) {
    std::vector<WordTiming> all;
    double offset = 0;
    for (const SpeechText &piece : split_for_requests(split_script(script), 4000)) {
      Speech s = fake_.truth(piece.text);
      EXPECT_FALSE(s.words.empty()) << "fake never spoke: " << piece.text;
      for (WordTiming w : s.words) {
        w.start += offset;
        w.end += offset;
        all.push_back(w);
      }
      offset += s.audio.duration();
    }
    return all;
  }

  FakeServer server_;
  FakeSpeechApis fake_{server_};
  core::Runtime runtime_{1, 2};
  std::unique_ptr<http::HttpClient> http_ = std::make_unique<http::HttpClient>(runtime_.io());
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<SpeechService> service_;
  core::JobPtr job_;
  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_.path();
};

const std::string kScript =
    "Your phone is not the problem. The way you use it is. Turn off every notification "
    "that is not from a person, and watch what happens to your focus. Most people gain an "
    "hour a day, without trying harder.";

}  // namespace

TEST_F(RemoteSpeechTest, OpenAiAudioGetsAlignedTimingsFromConcurrentSentences) {
  fake_.set_openai_latency(automuse::testing::Ms(400));
  Outcome o = speak("openai", kScript);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_TRUE(o.result.aligned);
  EXPECT_EQ(o.result.provider, "openai");
  // One request per sentence, all sent at once: all had arrived before the first answer
  // went out.
  auto reqs = server_.requests("/v1/audio/speech");
  ASSERT_EQ(reqs.size(), 4u);
  std::set<std::string> inputs;
  for (const auto &r : reqs) inputs.insert(std::string(r.json().at("input").as_string()));
  EXPECT_TRUE(inputs.count("Your phone is not the problem."));
  EXPECT_TRUE(inputs.count("The way you use it is."));
  auto [first, last] = std::minmax_element(
      reqs.begin(), reqs.end(), [](auto &a, auto &b) { return a.received_at < b.received_at; });
  // One after another they would arrive at least 2 x 400 ms apart.
  EXPECT_LT(last->received_at - first->received_at, std::chrono::milliseconds(500));
  for (const auto &r : reqs) {
    EXPECT_EQ(r.json().at("response_format"), "wav");
    EXPECT_LE(r.json().at("input").as_string().size(), 4096u);
  }
  PcmAudio wav = read_wav_file(o.result.audio_path);
  std::vector<WordTiming> truth = truth_for(kScript);
  ASSERT_EQ(o.result.words.size(), truth.size());
  EXPECT_NEAR(wav.duration(), truth.back().end, 1.0);
  double sum = 0, worst = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    EXPECT_EQ(o.result.words[i].text, truth[i].text);
    double d = std::abs(o.result.words[i].start - truth[i].start);
    if (d > 0.1)
      std::printf("  %s: truth %.3f, aligned %.3f\n", truth[i].text.c_str(), truth[i].start,
                  o.result.words[i].start);
    sum += d;
    worst = std::max(worst, d);
  }
  double mean = sum / static_cast<double>(truth.size());
  std::printf(
      "openai fake (espeak at %d wpm, %zu pieces): aligned %zu words, mean start error "
      "%.1f ms, worst %.1f ms\n",
      FakeSpeechApis::kSpeakingRate, reqs.size(), truth.size(), mean * 1000, worst * 1000);
  EXPECT_LT(mean, 0.080);
}

TEST_F(RemoteSpeechTest, OpenAiRateLimitIsRetriedAndErrorsAreClear) {
  fake_.fail_openai_next(1, Reply::too_many_requests(1));
  Outcome o = speak("openai", "Short and sweet.");
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_EQ(server_.requests("/v1/audio/speech").size(), 2u);

  fake_.fail_openai_next(1, Reply::text("<html>gateway</html>", 200, "text/html"));
  Outcome bad = speak("openai", "A malformed answer.");
  EXPECT_EQ(bad.status, AM_ERROR);
  EXPECT_NE(bad.error.find("openai: malformed answer"), std::string::npos) << bad.error;

  fake_.fail_openai_next(
      4,
      Reply::json(
          R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}})",
          429));
  Outcome quota = speak("openai", "No money left.");
  EXPECT_EQ(quota.status, AM_QUOTA_EXCEEDED);
  EXPECT_NE(quota.error.find("exceeded your current quota"), std::string::npos) << quota.error;
  EXPECT_EQ(quota.error.find(FakeSpeechApis::kOpenAiKey), std::string::npos);
}

// A job is freed once its speech has been delivered: a host that runs job after job (the
// daemon) must not keep every finished one alive.
TEST_F(RemoteSpeechTest, FinishedJobsAreFreed) {
  std::vector<std::weak_ptr<am_job>> finished;
  for (const char *provider : {"openai", "elevenlabs"}) {
    job_ = runtime_.make_job(std::string("remote-speech-") + provider);
    Outcome o = speak(provider, "A short line to speak.");
    ASSERT_EQ(o.status, AM_OK) << o.error;
    job_->wait_idle();
    finished.push_back(job_);
  }
  job_ = runtime_.make_job("remote-speech");
  for (const auto &job : finished) EXPECT_TRUE(automuse::testing::released(job));
}

TEST_F(RemoteSpeechTest, WrongKeyIsUnauthenticated) {
  SpeechServiceConfig cfg;
  cfg.output_dir = dir_;
  SpeechService other(cfg);
  OpenAiSpeechConfig oa;
  oa.base_url = server_.url("/v1");
  oa.api_key = "sk-wrong";
  other.add_provider(make_openai_speech_provider(*http_, oa));
  SpeechRequest r;
  r.provider = "openai";
  r.speech.text = "Hello.";
  r.use_cache = false;
  std::promise<std::pair<am_status, std::string>> p;
  other.synthesize(*job_, r, [&p](am_status s, const std::string &e, const SpeechOutcome *) {
    p.set_value({s, e});
  });
  auto [status, error] = p.get_future().get();
  EXPECT_EQ(status, AM_UNAUTHENTICATED);
  EXPECT_NE(error.find("Incorrect API key"), std::string::npos) << error;
  EXPECT_EQ(error.find("sk-wrong"), std::string::npos);
}

TEST_F(RemoteSpeechTest, ElevenLabsCharacterTimesBecomeWordTimes) {
  Outcome o = speak("elevenlabs", kScript);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_FALSE(o.result.aligned);
  auto reqs = server_.requests("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/with-timestamps");
  ASSERT_EQ(reqs.size(), 4u);  // one per sentence
  EXPECT_EQ(reqs[0].header("xi-api-key"), std::string(FakeSpeechApis::kElevenKey));
  // Each piece names its neighbours, so the voice flows across pieces.
  std::vector<SpeechText> pieces = split_for_requests(split_script(kScript), 4000);
  ASSERT_EQ(pieces.size(), 4u);
  size_t stitched = 0;
  for (const auto &r : reqs) {
    json::value body = r.json();
    std::string text(body.at("text").as_string());
    size_t i = 0;
    while (i < pieces.size() && pieces[i].text != text) ++i;
    ASSERT_LT(i, pieces.size()) << text;
    if (i > 0) {
      EXPECT_EQ(body.at("previous_text"), pieces[i - 1].text.c_str());
      ++stitched;
    } else {
      EXPECT_FALSE(body.as_object().contains("previous_text"));
    }
    if (i + 1 < pieces.size())
      EXPECT_EQ(body.at("next_text"), pieces[i + 1].text.c_str());
    else
      EXPECT_FALSE(body.as_object().contains("next_text"));
  }
  EXPECT_EQ(stitched, 3u);
  std::vector<WordTiming> truth = truth_for(kScript);
  ASSERT_EQ(o.result.words.size(), truth.size());
  for (size_t i = 0; i < truth.size(); ++i) {
    EXPECT_EQ(o.result.words[i].text, truth[i].text);
    EXPECT_NEAR(o.result.words[i].start, truth[i].start, 0.002);
    EXPECT_NEAR(o.result.words[i].end, truth[i].end, 0.002);
  }
  PcmAudio wav = read_wav_file(o.result.audio_path);
  EXPECT_EQ(wav.sample_rate, 22050);
}

TEST_F(RemoteSpeechTest, ElevenLabsMalformedAlignmentFallsBackToAlignment) {
  fake_.break_eleven_alignment(true);
  Outcome o = speak("elevenlabs", "Broken alignment arrays still give timings.");
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_TRUE(o.result.aligned);
  EXPECT_EQ(o.result.words.size(), 6u);

  fake_.fail_eleven_next(1, Reply::json(R"({"audio_base64":"###","alignment":null})"));
  Outcome bad = speak("elevenlabs", "Bad audio.");
  EXPECT_EQ(bad.status, AM_ERROR);
  EXPECT_NE(bad.error.find("elevenlabs: malformed answer"), std::string::npos) << bad.error;

  fake_.fail_eleven_next(
      1,
      Reply::json(
          R"({"detail":{"status":"quota_exceeded","message":"This request exceeds your quota."}})",
          401));
  Outcome quota = speak("elevenlabs", "Quota.");
  EXPECT_EQ(quota.status, AM_UNAUTHENTICATED);
  EXPECT_NE(quota.error.find("exceeds your quota"), std::string::npos);
}

TEST_F(RemoteSpeechTest, AnswersAreCachedByProviderVoiceAndText) {
  Outcome first = speak("openai", "Cached once, free after.", true);
  ASSERT_EQ(first.status, AM_OK) << first.error;
  EXPECT_FALSE(first.result.from_cache);
  ASSERT_EQ(server_.requests("/v1/audio/speech").size(), 1u);

  Outcome again = speak("openai", "Cached once, free after.", true);
  ASSERT_EQ(again.status, AM_OK) << again.error;
  EXPECT_TRUE(again.result.from_cache);
  EXPECT_TRUE(again.result.aligned);  // the cached timings keep how they were made
  EXPECT_EQ(server_.requests("/v1/audio/speech").size(), 1u);  // no new request
  ASSERT_EQ(again.result.words.size(), first.result.words.size());
  for (size_t i = 0; i < first.result.words.size(); ++i)
    EXPECT_DOUBLE_EQ(again.result.words[i].start, first.result.words[i].start);
  EXPECT_EQ(read_wav_file(again.result.audio_path).samples,
            read_wav_file(first.result.audio_path).samples);

  // Another voice, another text or another provider is another entry.
  ASSERT_EQ(speak("openai", "Cached once, free after.", true, "nova").status, AM_OK);
  EXPECT_EQ(server_.requests("/v1/audio/speech").size(), 2u);
  EXPECT_EQ(server_.requests("/v1/audio/speech").back().json().at("voice"), "nova");
  ASSERT_EQ(speak("openai", "Cached twice, free after.", true).status, AM_OK);
  EXPECT_EQ(server_.requests("/v1/audio/speech").size(), 3u);
  Outcome eleven = speak("elevenlabs", "Cached once, free after.", true);
  ASSERT_EQ(eleven.status, AM_OK) << eleven.error;
  EXPECT_FALSE(eleven.result.from_cache);
  EXPECT_TRUE(speak("elevenlabs", "Cached once, free after.", true).result.from_cache);
  EXPECT_EQ(server_.requests("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/with-timestamps").size(), 1u);

  SpeechRequest a, b, c;
  a.provider = b.provider = c.provider = "openai";
  a.speech.text = b.speech.text = c.speech.text = "Same text.";
  b.speech.voice = "nova";
  c.provider = "elevenlabs";
  EXPECT_NE(service_->cache_key(a), service_->cache_key(b));
  EXPECT_NE(service_->cache_key(a), service_->cache_key(c));
}

TEST_F(RemoteSpeechTest, ElevenLabsRateLimitIsRetried) {
  // ElevenLabs' 429 body (too_many_concurrent_requests) with Retry-After.
  fake_.fail_eleven_next(
      1,
      Reply::json(
          R"({"detail":{"status":"too_many_concurrent_requests","message":"Too many concurrent requests."}})",
          429)
          .with_header("Retry-After", "1"));
  Outcome o = speak("elevenlabs", "Patience pays.");
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_FALSE(o.result.aligned);
  EXPECT_EQ(server_.requests("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/with-timestamps").size(), 2u);
}

TEST(SplitForRequests, SentencesGroupedAndLongOnesCutAtClausesOrWords) {
  auto words =
      split_script("One. Two words. A longer sentence, with a clause, that goes on and on and on.");
  auto one_each = split_for_requests(words, 4000);
  ASSERT_EQ(one_each.size(), 3u);
  EXPECT_EQ(one_each[0].text, "One.");
  EXPECT_EQ(one_each[2].text, "A longer sentence, with a clause, that goes on and on and on.");
  auto grouped = split_for_requests(words, 4000, 2);
  ASSERT_EQ(grouped.size(), 2u);
  EXPECT_EQ(grouped[0].text, "One. Two words.");
  // 40 code points: the long sentence is cut after its last clause that fits.
  auto cut = split_for_requests(words, 40, 3);
  ASSERT_EQ(cut.size(), 3u);
  EXPECT_EQ(cut[0].text, "One. Two words.");
  EXPECT_EQ(cut[1].text, "A longer sentence, with a clause,");
  EXPECT_EQ(cut[2].text, "that goes on and on and on.");
  // No clause fits: cut between words; every piece within the limit, every word once.
  auto tiny = split_for_requests(words, 12);
  size_t count = 0;
  for (const auto &p : tiny) {
    EXPECT_LE(count_code_points(p.text), 12u) << p.text;
    count += p.word_index.size();
  }
  EXPECT_EQ(count, words.size());
}
