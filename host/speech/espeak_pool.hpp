// host/speech/espeak_pool.hpp — a small pool of automuse-espeak-worker processes, so that the
// sentences of a script are really synthesised at the same time: libespeak-ng keeps global
// state and is not thread-safe, so inside one process it can only ever speak one sentence at a
// time. Workers are started on first use (posix_spawn, one socket each), kept for later
// sentences, and replaced when one dies.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "speech/espeak_engine.hpp"

namespace automuse::speech {

// Which worker spoke a sentence, and when (steady clock, nanoseconds; the clock is the
// machine's monotonic clock, so stamps of different processes compare).
struct WorkerStamp {
  int pid = 0;
  int64_t started_ns = 0;
  int64_t finished_ns = 0;
};

// The worker executable: $AUTOMUSE_ESPEAK_WORKER, else next to the running executable, else
// <exe>/../libexec/automuse/, else where this build put it. nullopt when none exists.
std::optional<std::filesystem::path> find_espeak_worker();

class EspeakPool {
 public:
  // Up to `size` workers (at least 1) running `worker`.
  EspeakPool(std::filesystem::path worker, unsigned size);
  ~EspeakPool();  // closes every worker's socket and reaps it
  EspeakPool(const EspeakPool &) = delete;
  EspeakPool &operator=(const EspeakPool &) = delete;

  // The process's pool: one worker per core (2..8), or nullptr when the worker executable
  // cannot be found (callers then speak in-process, one sentence at a time).
  static EspeakPool *shared();

  unsigned size() const noexcept { return size_; }
  // Workers started so far (replacements included).
  unsigned started() const;

  // Speaks `text` in a free worker (waiting for one when all are busy). Thread-safe; blocks
  // the calling thread. Throws SpeechError naming "voice", "rate" or "pitch" for bad settings
  // and "espeak-ng worker" when no worker can do it (a worker that dies is replaced and the
  // sentence tried once more).
  EspeakOutput synthesize(const std::string &text, const VoiceSettings &settings,
                          WorkerStamp *stamp = nullptr);

 private:
  struct Worker {
    pid_t pid = -1;
    int fd = -1;
  };
  Worker spawn();                // throws SpeechError
  void discard(Worker &worker);  // kills and reaps
  Worker acquire();
  void release(Worker worker);

  std::filesystem::path worker_path_;
  unsigned size_;
  mutable std::mutex mutex_;
  std::condition_variable free_;
  std::vector<Worker> idle_;
  unsigned live_ = 0;  // idle + busy
  unsigned started_ = 0;
};

}  // namespace automuse::speech
