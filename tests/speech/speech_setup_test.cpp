// tests/speech/speech_setup_test.cpp — the speech section of automuse.json: the default
// provider and the network providers' settings reach the real requests (against the fakes),
// keys come from the environment when the file has none, bad settings name their key.
#include "speech/speech_setup.hpp"

#include <gtest/gtest.h>

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <future>

#include "core/runtime.hpp"
#include "http/http_client.hpp"
#include "speech/speech_service.hpp"
#include "support/speech/fake_speech_apis.hpp"
#include "support/temp_folder.hpp"

using namespace automuse;
using namespace automuse::speech;
using automuse::testing::FakeServer;
using automuse::testing::FakeSpeechApis;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::pair<am_status, SpeechOutcome> speak(SpeechService &service, am_job &job,
                                          const std::string &text) {
  SpeechRequest r;  // no provider: the configured default
  r.speech.text = text;
  r.use_cache = false;
  std::promise<std::pair<am_status, SpeechOutcome>> p;
  service.synthesize(job, r, [&p](am_status s, const std::string &e, const SpeechOutcome *o) {
    p.set_value({s, o ? *o : SpeechOutcome{}});
    if (s != AM_OK) ADD_FAILURE() << e;
  });
  return p.get_future().get();
}

}  // namespace

TEST(SpeechSetup, DefaultProviderAndSettingsReachTheRequests) {
  FakeServer server;
  FakeSpeechApis fake(server);
  core::Runtime runtime{1, 2};
  http::HttpClient http(runtime.io());
  json::value section = json::parse(R"({"provider": "elevenlabs", "providers": {
      "openai": {"base_url": ")" + server.url("/v1") +
                                    R"(", "voice": "nova"},
      "elevenlabs": {"base_url": ")" +
                                    server.base_url() +
                                    R"(", "api_key": "xi-test-key-0123456789",
                     "voice": "VoiceFromConfig1234"}}})");
  automuse::testing::TempFolder tmp;
  fs::path dir = tmp.path();
  SpeechServiceConfig cfg;
  cfg.output_dir = dir;
  cfg.default_provider = default_speech_provider(&section);
  EXPECT_EQ(cfg.default_provider, "elevenlabs");
  SpeechService service(cfg);
  // OpenAI's key is not in the file: it comes from the environment.
  add_configured_speech_providers(service, http, &section, [](const char *name) -> const char * {
    return std::string(name) == "OPENAI_API_KEY" ? FakeSpeechApis::kOpenAiKey : nullptr;
  });
  auto job = runtime.make_job("speech-setup");

  auto [status, out] = speak(service, *job, "Configured voices speak.");
  EXPECT_EQ(status, AM_OK);
  EXPECT_EQ(out.provider, "elevenlabs");
  EXPECT_EQ(server.requests("/v1/text-to-speech/VoiceFromConfig1234/with-timestamps").size(), 1u);

  SpeechRequest r;
  r.provider = "openai";
  r.speech.text = "And the other one.";
  r.use_cache = false;
  std::promise<am_status> p;
  service.synthesize(
      *job, r, [&p](am_status s, const std::string &, const SpeechOutcome *) { p.set_value(s); });
  EXPECT_EQ(p.get_future().get(), AM_OK);
  auto reqs = server.requests("/v1/audio/speech");
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].json().at("voice"), "nova");
  job->wait_idle();
}

TEST(SpeechSetup, DefaultsAndBadSettings) {
  EXPECT_EQ(default_speech_provider(nullptr), "espeak");
  json::value espeak_ng = json::parse(R"({"provider": "espeak-ng"})");
  EXPECT_EQ(default_speech_provider(&espeak_ng), "espeak");
  json::value unknown = json::parse(R"({"provider": "polly"})");
  try {
    default_speech_provider(&unknown);
    FAIL();
  } catch (const SpeechError &e) {
    EXPECT_EQ(e.field(), "speech.provider");
    EXPECT_NE(std::string(e.what()).find("available: espeak-ng, openai, elevenlabs"),
              std::string::npos);
  }
  core::Runtime runtime{1, 1};
  http::HttpClient http(runtime.io());
  SpeechService service(SpeechServiceConfig{});
  json::value bad = json::parse(R"({"providers": {"openai": {"model": 5}}})");
  try {
    add_configured_speech_providers(service, http, &bad, [](const char *) { return nullptr; });
    FAIL();
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
    EXPECT_STREQ(e.what(), "speech.providers.openai.model: must be a string");
  }
  // Without any configuration both network providers exist and say what is missing.
  add_configured_speech_providers(service, http, nullptr, [](const char *) { return nullptr; });
  EXPECT_FALSE(service.voices_json("openai").empty());
  EXPECT_FALSE(service.voices_json("elevenlabs").empty());
}
