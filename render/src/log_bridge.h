// Where FFmpeg's and libass's own messages go: one process-wide bridge from av_log (and the
// libass message callback) to the handler set with set_log_handler() (render.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "automuse_render/render.h"

namespace automuse::render::detail {

// Routes av_log through the bridge (idempotent; any thread). Until a handler is set,
// warnings and errors go to stderr.
void install_log_bridge();

// Whether a message of `level` would be delivered (cheap; for callers that format).
bool log_enabled(LogLevel level);

// Delivers one message (no trailing newline) to the handler, if `level` passes.
void log_message(LogLevel level, std::string_view message);

// While one is alive, the messages logged on its thread are kept in it instead of delivered:
// for probes whose failure is expected and reported as one reason (a hardware encoder on a
// machine without the device), not as FFmpeg's own lines. Nests.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture &) = delete;
  LogCapture &operator=(const LogCapture &) = delete;

  // The last error (else warning) captured, without FFmpeg's "[component @ 0x...] " prefix;
  // empty when there was none.
  std::string last_error() const;

 private:
  friend void log_message(LogLevel level, std::string_view message);
  std::vector<std::pair<LogLevel, std::string>> lines_;
  LogCapture *outer_;
};

}  // namespace automuse::render::detail
