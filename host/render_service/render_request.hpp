// host/render_service/render_request.hpp — one render of the automuse.render/1 service, the same
// in whichever process runs it (the automuse-render-worker child or, without one, the host):
// parse the timeline, apply automuse.json's render settings, render, and turn the outcome into
// the service's status, result JSON and error text.
#pragma once

#include <automuse/render.h>
#include <automuse_render/render.h>

#include <atomic>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace automuse::render_service {

// What a render needs: the timeline as the plugin gave it, the folder its relative paths are
// resolved against ("" = the current directory) and render.encoder ("" = the default).
struct RenderRequest {
  std::string timeline_json;
  std::string base_dir;
  std::string encoder;
};

// What the plugin's done callback receives: the status, the result object as JSON text ("null"
// unless AM_OK) and the error text ("" when AM_OK); and the result's "warnings" apart, for the
// host's log.
struct RenderOutcome {
  am_status status = AM_INTERNAL;
  std::string result = "null";
  std::string error;
  std::vector<std::string> warnings;

  static RenderOutcome success(std::string result, std::vector<std::string> warnings) {
    return {AM_OK, std::move(result), "", std::move(warnings)};
  }
  static RenderOutcome failure(am_status status, std::string error) {
    return {status, "null", std::move(error), {}};
  }
};

// The least severe FFmpeg/libass message that reaches the host's log (render_service.cpp maps
// the levels), in-process and in the worker alike.
inline constexpr automuse::render::LogLevel kFfmpegLogThreshold = automuse::render::LogLevel::kInfo;

// Renders `request` on the calling thread. `progress` may be empty, `cancel` null. Never
// throws: an exception from the renderer is AM_INTERNAL with its message.
RenderOutcome run_render(const RenderRequest &request,
                         const automuse::render::ProgressCallback &progress,
                         const std::atomic<bool> *cancel);

// What is wrong with render.encoder's value (`config check` reports it), or nothing.
std::optional<std::string> encoder_setting_problem(const std::string &encoder);

}  // namespace automuse::render_service
