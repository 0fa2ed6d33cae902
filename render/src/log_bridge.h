// Where FFmpeg's and libass's own messages go: one process-wide bridge from av_log (and the
// libass message callback) to the handler set with set_log_handler() (render.h).
#pragma once

#include <string_view>

#include "automuse_render/render.h"

namespace automuse::render::detail {

// Routes av_log through the bridge (idempotent; any thread). Until a handler is set,
// warnings and errors go to stderr.
void install_log_bridge();

// Whether a message of `level` would be delivered (cheap; for callers that format).
bool log_enabled(LogLevel level);

// Delivers one message (no trailing newline) to the handler, if `level` passes.
void log_message(LogLevel level, std::string_view message);

}  // namespace automuse::render::detail
