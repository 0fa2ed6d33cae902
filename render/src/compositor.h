// Builds each output frame: the scene (or the two scenes of a transition) at that time,
// then the subtitles on top.
#pragma once

#include <memory>
#include <vector>

#include "automuse_render/timeline.h"
#include "av_util.h"
#include "frame_memo.h"
#include "scene_source.h"
#include "subtitle_layer.h"

namespace automuse::render::detail {

class Compositor {
 public:
  Compositor(const Timeline &t, std::vector<std::unique_ptr<SceneSource>> scenes,
             std::unique_ptr<SubtitleLayer> subtitles);
  // Draws frame `n` (time n / fps) into `dst` (yuv420p, canvas size). Frames must be asked
  // for in increasing order. `memo` is what `dst` held before; it is updated to what it holds.
  void compose(int64_t n, AVFrame *dst, FrameMemo &memo);

 private:
  void draw_scene(size_t i, double t, AVFrame *dst, FrameMemo &memo);

  const Timeline &timeline_;
  std::vector<std::unique_ptr<SceneSource>> scenes_;
  std::unique_ptr<SubtitleLayer> subtitles_;
  std::vector<double> start_, end_, tin_, tout_;
  FramePtr a_, b_;
  size_t released_ = 0;  // scenes before this one are over and have been freed
};

}  // namespace automuse::render::detail
