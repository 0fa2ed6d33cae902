// Frame composition: scene lookup, transitions centred on scene boundaries, subtitles.
#include "compositor.h"

#include <algorithm>

#include "frame_ops.h"

namespace automuse::render::detail {

Compositor::Compositor(const Timeline &t, std::vector<std::unique_ptr<SceneSource>> scenes,
                       std::unique_ptr<SubtitleLayer> subtitles)
    : timeline_(t), scenes_(std::move(scenes)), subtitles_(std::move(subtitles)) {
  const size_t n = t.scenes.size();
  start_.resize(n), end_.resize(n), tin_.assign(n, 0), tout_.assign(n, 0);
  double at = 0;
  for (size_t i = 0; i < n; ++i) {
    start_[i] = at;
    at += t.scenes[i].duration;
    end_[i] = at;
    if (i > 0) tin_[i] = tout_[i - 1] = t.scenes[i].transition.duration;
  }
  a_ = make_yuv_frame(t.canvas.width, t.canvas.height);
  b_ = make_yuv_frame(t.canvas.width, t.canvas.height);
}

void Compositor::draw_scene(size_t i, double t, AVFrame *dst, FrameMemo &memo) {
  // Motion, and a clip's playback, run over the whole time the scene is visible,
  // transitions included: from the start of the incoming one to the end of the outgoing one.
  const double from = start_[i] - tin_[i] / 2, to = end_[i] + tout_[i] / 2;
  const double span =
      timeline_.scenes[i].motion_time > 0 ? timeline_.scenes[i].motion_time : to - from;
  const double p = span > 0 ? (t - from) / span : 0.0;
  scenes_[i]->draw(t - from, p, dst, memo);
}

void Compositor::compose(int64_t n, AVFrame *dst, FrameMemo &memo) {
  const double t = static_cast<double>(n) / timeline_.canvas.fps;
  size_t i = 0;
  while (i + 1 < scenes_.size() && t >= end_[i]) ++i;
  // Is t inside a transition? Into the next scene, or from the previous one.
  size_t from = i, to = i;
  double q = 0;
  if (i + 1 < scenes_.size() && tout_[i] > 0 && t >= end_[i] - tout_[i] / 2) {
    to = i + 1;
    q = (t - (end_[i] - tout_[i] / 2)) / tout_[i];
  } else if (i > 0 && tin_[i] > 0 && t < start_[i] + tin_[i] / 2) {
    from = i - 1;
    q = (t - (start_[i] - tin_[i] / 2)) / tin_[i];
  }
  // Frames come in increasing order: scenes before `from` are over, free their pictures.
  for (; released_ < from; ++released_) scenes_[released_].reset();
  if (from == to) {
    draw_scene(i, t, dst, memo);
  } else {
    // a_ and b_ are scratch frames whose contents are not tracked.
    FrameMemo scratch;
    draw_scene(from, t, a_.get(), scratch);
    scratch = FrameMemo{};
    draw_scene(to, t, b_.get(), scratch);
    memo.picture = 0;  // a blend of two pictures
    switch (timeline_.scenes[to].transition.kind) {
      case TransitionKind::kCrossfade:
        crossfade(a_.get(), b_.get(), q, dst);
        break;
      case TransitionKind::kSlideLeft:
        slide(a_.get(), b_.get(), q, -1, 0, dst);
        break;
      case TransitionKind::kSlideRight:
        slide(a_.get(), b_.get(), q, 1, 0, dst);
        break;
      case TransitionKind::kSlideUp:
        slide(a_.get(), b_.get(), q, 0, -1, dst);
        break;
      case TransitionKind::kSlideDown:
        slide(a_.get(), b_.get(), q, 0, 1, dst);
        break;
      case TransitionKind::kCut:
        copy_region(q < 0.5 ? a_.get() : b_.get(), 0, 0, dst);
        break;
    }
  }
  memo.drawn_over = subtitles_ ? subtitles_->draw(t, dst) : Rect{};
}

}  // namespace automuse::render::detail
