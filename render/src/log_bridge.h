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

// Messages as they were logged: level and line (with FFmpeg's "[component @ 0x...] " prefix).
using LogLines = std::vector<std::pair<LogLevel, std::string>>;

// While one is alive, the messages logged on its thread are kept in it instead of delivered:
// for probes whose failure is expected and reported as one reason (a hardware encoder on a
// machine without the device), not as FFmpeg's own lines; and for inputs being opened, whose
// messages belong to their error, if any. Nests; per thread, so inputs opened concurrently
// each keep their own.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture &) = delete;
  LogCapture &operator=(const LogCapture &) = delete;

  // The last error (else warning) captured, without FFmpeg's "[component @ 0x...] " prefix;
  // empty when there was none.
  std::string last_error() const;
  // Stops capturing (on the thread that made it, the innermost capture) and hands over what
  // was kept.
  LogLines release();

 private:
  friend void log_message(LogLevel level, std::string_view message);
  LogLines lines_;
  LogCapture *outer_;
  bool active_ = true;
};

// Delivers `lines` as if they were logged now (kept by this thread's capture, if any).
void log_lines(const LogLines &lines);

// The warnings and errors among `lines` as the end of an error message: " (FFmpeg: chunk too
// big)", prefixes taken off, repeats dropped, at most three; "" when there are none.
std::string ffmpeg_detail(const LogLines &lines);

// `lines` without their warnings and errors (what ffmpeg_detail() has not said).
LogLines below_warning(LogLines lines);

}  // namespace automuse::render::detail
