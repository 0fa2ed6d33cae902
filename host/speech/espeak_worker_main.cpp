// host/speech/espeak_worker_main.cpp — automuse-espeak-worker: one libespeak-ng per process,
// so that the host can speak several sentences at once (the library is not thread-safe). It
// answers framed requests on its stdin socket (espeak_wire.hpp) until the host closes it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>

#include "speech/espeak_engine.hpp"
#include "speech/espeak_wire.hpp"
#include "speech/word_timing.hpp"

namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char **argv) {
  using namespace automuse::speech;
  if (argc > 1) {
    std::fprintf(stderr,
                 "%s: a helper of automuse-host; it speaks framed requests on stdin/stdout and "
                 "takes no arguments\n",
                 argv[0]);
    return 2;
  }
  try {
    EspeakEngine &engine = EspeakEngine::instance();
    while (auto payload = wire::read_frame(STDIN_FILENO)) {
      wire::Answer answer;
      answer.pid = static_cast<int>(::getpid());
      answer.started_ns = now_ns();
      try {
        wire::Request request = wire::decode_request(*payload);
        answer.output = engine.synthesize(request.text, request.settings);
        answer.ok = true;
      } catch (const SpeechError &e) {
        answer.field = e.field();
        answer.message = e.what();
        // what() already carries "field: " in front; keep only the message part.
        if (!answer.field.empty() && answer.message.rfind(answer.field + ": ", 0) == 0)
          answer.message.erase(0, answer.field.size() + 2);
      }
      answer.finished_ns = now_ns();
      if (!wire::write_frame(STDOUT_FILENO, wire::encode(answer))) return 1;
    }
    return 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "automuse-espeak-worker: %s\n", e.what());
    return 1;
  }
}
