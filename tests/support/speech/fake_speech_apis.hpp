// tests/support/speech/fake_speech_apis.hpp — loopback fakes of the OpenAI speech and ElevenLabs
// with-timestamps endpoints (docs/protocols/openai.md, elevenlabs.md: paths, auth headers, bodies,
// error shapes, 429s). They really speak: the audio is espeak-ng's, at a rate unlike the service's
// reference, and the fakes keep the timings they hid so tests can measure alignment.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "speech/synthesizer.hpp"
#include "support/fake_secrets.hpp"
#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeSpeechApis {
 public:
  static constexpr const char *kOpenAiKey = fake_secrets::kSpeechOpenAiKey.data();
  static constexpr const char *kElevenKey = fake_secrets::kSpeechElevenLabsKey.data();

  explicit FakeSpeechApis(FakeServer &server);

  // Fault switches: the next `n` requests of that API get the reply instead.
  void fail_openai_next(int n, Reply reply);
  void fail_eleven_next(int n, Reply reply);
  // Answer OpenAI requests only after this long (to show pieces are requested at once).
  void set_openai_latency(Ms latency) { openai_latency_ = latency; }
  // Send ElevenLabs alignment arrays of different lengths (a malformed alignment).
  void break_eleven_alignment(bool broken) { broken_alignment_ = broken; }

  // What the fake spoke for an input text, with the timings it did not send (OpenAI).
  speech::Speech truth(const std::string &input) const;
  int openai_requests() const { return openai_count_; }

  static constexpr int kSpeakingRate = 205;  // not the service's reference rate (175)

 private:
  Reply openai(const ReceivedRequest &req);
  Reply eleven(const ReceivedRequest &req);
  std::optional<Reply> injected(std::vector<Reply> &queue);

  mutable std::mutex mutex_;
  std::vector<Reply> openai_faults_, eleven_faults_;
  std::map<std::string, speech::Speech> spoken_;
  bool broken_alignment_ = false;
  Ms openai_latency_{0};
  int openai_count_ = 0;
};

}  // namespace automuse::testing
