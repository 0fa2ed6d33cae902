// host/speech/speech_service.hpp — "automuse.speech/1": synthesis (any provider) and
// alignment as operations on a job, with WAV files, word timings, the cache, and captions.
// Blocking work (synthesis, alignment, files, the cache's SQLite) runs on the job's worker
// pool; every operation completes exactly once on the job's executor.
#pragma once

#include <automuse/speech.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/service_binding.hpp"
#include "speech/speech_provider.hpp"
#include "speech/word_timing.hpp"

namespace automuse::cache {
class Cache;
}
namespace automuse::core {
class ServiceRegistry;
}

namespace automuse::speech {

struct SpeechServiceConfig {
  std::filesystem::path output_dir;         // WAVs of requests that name no output path
  cache::Cache *cache = nullptr;            // optional; must outlive the service
  unsigned espeak_parallel = 0;             // sentences in flight (SynthesisOptions::parallel)
  std::string default_provider = "espeak";  // for requests that name none
};

struct SpeechRequest {
  ProviderRequest speech;
  std::string provider;               // empty: the service's default_provider
  std::filesystem::path output_path;  // empty: a new file in output_dir
  bool use_cache = true;
};

struct SpeechOutcome {
  std::filesystem::path audio_path;
  double duration = 0;
  int sample_rate = 0;
  std::vector<WordTiming> words;
  std::string provider;
  bool from_cache = false;
  bool aligned = false;
};

// status, error message (empty on AM_OK), outcome (only on AM_OK).
using SpeechDone = std::function<void(am_status, const std::string &, const SpeechOutcome *)>;

// The service must outlive every job that uses it (the host drains jobs before tearing
// services down): operations in flight refer to it.
class SpeechService {
 public:
  explicit SpeechService(SpeechServiceConfig config);
  ~SpeechService();
  SpeechService(const SpeechService &) = delete;
  SpeechService &operator=(const SpeechService &) = delete;

  // Adds or replaces a provider under its name(). "espeak" is there from the start.
  void add_provider(std::unique_ptr<SpeechProvider> provider);

  // The table to register under AM_SPEECH_SERVICE_ID. The service must outlive its users.
  const am_speech *table() const { return binding_.table(); }

  // The C++ API behind the table. `done` runs once on the job's executor.
  am_op_id synthesize(am_job &job, SpeechRequest request, SpeechDone done);
  am_op_id align(am_job &job, std::string text, std::filesystem::path audio_path,
                 std::string language, SpeechDone done);

  // Voices of one provider as JSON; nullptr-equivalent (empty) for an unknown provider.
  std::string voices_json(const std::string &provider) const;

  // The cache key of a request (hex SHA-256 of provider, voice settings and text).
  std::string cache_key(const SpeechRequest &request) const;

 private:
  static am_speech c_table();
  SpeechProvider *provider(const std::string &name) const;
  std::filesystem::path new_output_path(const std::string &key);
  // Worker-side steps.
  bool try_cache(const SpeechRequest &request, const std::string &key, SpeechOutcome &out);
  SpeechOutcome finish(const SpeechRequest &request, const std::string &key, ProviderAudio audio,
                       const std::string &provider_name);

  SpeechServiceConfig config_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<SpeechProvider>> providers_;
  core::ServiceBinding<am_speech, SpeechService> binding_{*this, c_table()};
  std::atomic<uint64_t> file_counter_{0};
};

}  // namespace automuse::speech
