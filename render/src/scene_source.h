// A scene's pictures over time: a still image with Ken Burns/pan motion, or a video clip
// (cover-fit, trimmed, looped). Each draws itself into a canvas-sized yuv420p frame.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "automuse_render/timeline.h"
#include "av_util.h"
#include "frame_memo.h"

namespace automuse::render::detail {

class SceneSource {
 public:
  virtual ~SceneSource() = default;
  // Draws the scene `local` seconds after it first shows (the start of its incoming
  // transition, half of it before the scene's start). `progress` is the motion position in
  // [0,1] over the whole time the scene is visible (transitions included). Calls come in
  // non-decreasing time order. `memo` says what `dst` held before (see frame_memo.h); the
  // source sets `memo.picture` to the kept picture `dst` now copies, or 0.
  virtual void draw(double local, double progress, AVFrame *dst, FrameMemo &memo) = 0;
};

// Decodes and prepares the scene's source (errors and warnings are about the file; the caller
// adds the JSON path). Returns null with `error` set on failure. Sets `warning` when the
// picture is enlarged more than kSharpScaleFactor times (scaler.h) to fill the canvas.
std::unique_ptr<SceneSource> open_scene(const Scene &scene, const Canvas &canvas,
                                        std::string &error, std::string &warning);

}  // namespace automuse::render::detail
