// tests/speech/remote_speech_test.cpp — the network speech providers through the service and
// the real HTTP service, against loopback fakes that speak: OpenAI audio gets aligned word
// timings (accuracy measured against what the fake hid), ElevenLabs character times become
// word times, long scripts go out as concurrent pieces, and faults map to clear statuses.
#include "speech/remote_speech.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>

#include "core/runtime.hpp"
#include "fake_speech_apis.hpp"
#include "http/http_client.hpp"
#include "speech/pcm_audio.hpp"
#include "speech/speech_service.hpp"

using namespace automuse;
using namespace automuse::speech;
using automuse::testing::FakeServer;
using automuse::testing::FakeSpeechApis;
using automuse::testing::Reply;
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
    dir_ = fs::temp_directory_path() / ("automuse_remote_speech_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    SpeechServiceConfig cfg;
    cfg.output_dir = dir_;
    service_ = std::make_unique<SpeechService>(cfg);
    OpenAiSpeechConfig oa;
    oa.base_url = server_.url("/v1");
    oa.api_key = FakeSpeechApis::kOpenAiKey;
    oa.max_chars = 120;  // small, so that scripts go out in several pieces
    service_->add_provider(make_openai_speech_provider(*http_, oa));
    ElevenLabsConfig el;
    el.base_url = server_.base_url();
    el.api_key = FakeSpeechApis::kElevenKey;
    el.max_chars = 120;
    service_->add_provider(make_elevenlabs_provider(*http_, el));
    job_ = runtime_.make_job("remote-speech");
  }
  void TearDown() override {
    job_->wait_idle();
    fs::remove_all(dir_);
  }

  Outcome speak(const std::string &provider, const std::string &text) {
    SpeechRequest r;
    r.provider = provider;
    r.speech.text = text;
    r.use_cache = false;
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

  // The fake's hidden timings for the whole script, piece by piece, offset like the joined
  // audio.
  std::vector<WordTiming> truth_for(const std::string &script, size_t max_chars) {
    std::vector<WordTiming> all;
    double offset = 0;
    for (const SpeechText &piece : split_for_requests(split_script(script), max_chars)) {
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
  std::unique_ptr<SpeechService> service_;
  core::JobPtr job_;
  fs::path dir_;
};

const std::string kScript =
    "Your phone is not the problem. The way you use it is. Turn off every notification "
    "that is not from a person, and watch what happens to your focus. Most people gain an "
    "hour a day, without trying harder.";

}  // namespace

TEST_F(RemoteSpeechTest, OpenAiAudioGetsAlignedTimingsFromConcurrentPieces) {
  fake_.set_openai_latency(automuse::testing::Ms(400));
  Outcome o = speak("openai", kScript);
  ASSERT_EQ(o.status, AM_OK) << o.error;
  EXPECT_TRUE(o.result.aligned);
  EXPECT_EQ(o.result.provider, "openai");
  // Several pieces, requested at once: all had arrived before the first answer went out.
  auto reqs = server_.requests("/v1/audio/speech");
  ASSERT_GE(reqs.size(), 3u);
  auto [first, last] = std::minmax_element(
      reqs.begin(), reqs.end(), [](auto &a, auto &b) { return a.received_at < b.received_at; });
  // One after another they would arrive at least 2 x 400 ms apart.
  EXPECT_LT(last->received_at - first->received_at, std::chrono::milliseconds(500));
  for (const auto &r : reqs) {
    EXPECT_EQ(r.json().at("response_format"), "wav");
    EXPECT_LE(r.json().at("input").as_string().size(), 4096u);
  }
  PcmAudio wav = read_wav_file(o.result.audio_path);
  std::vector<WordTiming> truth = truth_for(kScript, 120);
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
  ASSERT_GE(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].header("xi-api-key"), std::string(FakeSpeechApis::kElevenKey));
  std::vector<WordTiming> truth = truth_for(kScript, 120);
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
