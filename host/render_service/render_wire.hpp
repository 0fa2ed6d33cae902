// host/render_service/render_wire.hpp — the messages between the render service and its
// automuse-render-worker children. The host writes one JSON request on the worker's stdin and
// closes it; the worker answers with JSON lines on its stdout: any number of progress and log
// lines, then exactly one outcome line (the result object, or an error with its kind). A line
// is one serialised JSON object, so a message never holds a raw newline.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "render_service/render_request.hpp"

namespace automuse::render_service::wire {

// {"timeline": "<the timeline's JSON text>", "base_dir": "...", "encoder": "..."}.
std::string encode_request(const RenderRequest &request);
// Throws std::runtime_error naming the bad field of a malformed request.
RenderRequest decode_request(std::string_view text);

// Each without its newline:
//   {"progress": {"fraction", "fps", "eta", "frames_done", "frames_total"}}
//   {"log": {"level": "error"|"warning"|"info"|"debug", "message": "..."}}
//   {"result": {...the service's result object...}}
//   {"error": {"kind": "invalid_argument"|"cancelled"|"io"|"error"|"internal", "message"}}
std::string progress_line(const automuse::render::RenderProgress &progress);
std::string log_line(automuse::render::LogLevel level, std::string_view message);
std::string outcome_line(const RenderOutcome &outcome);

struct Message {
  enum class Kind { kProgress, kLog, kOutcome } kind = Kind::kOutcome;
  automuse::render::RenderProgress progress;                             // kProgress
  automuse::render::LogLevel level = automuse::render::LogLevel::kInfo;  // kLog
  std::string message;                                                   // kLog
  RenderOutcome outcome;                                                 // kOutcome
};

// nullopt for a line that is none of the above.
std::optional<Message> decode_line(std::string_view line);

}  // namespace automuse::render_service::wire
