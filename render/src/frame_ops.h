// Whole-frame pixel operations on yuv420p frames: colour conversion, fill, copy, crossfade
// blend and slide. Kept in one place so the per-frame cost is easy to see and optimise.
#pragma once

#include <cstdint>

#include "automuse_render/timeline.h"
#include "av_util.h"

namespace automuse::render::detail {

struct Yuv {
  uint8_t y, u, v;
};

// BT.709 limited range, matching the colorspace the encoder tags.
Yuv rgb_to_yuv709(uint8_t r, uint8_t g, uint8_t b);
inline Yuv to_yuv(const Color &c) {
  return rgb_to_yuv709(c.r, c.g, c.b);
}

// A rectangle in luma pixels, its corners even so that it covers whole chroma samples.
struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
};

void fill_frame(AVFrame *dst, Yuv c);
// Copies the w x h region of `src` at (x, y) (both even) into `dst` (which is w x h).
void copy_region(const AVFrame *src, int x, int y, AVFrame *dst);
// Copies the rectangle `r` of `src` onto the same place of `dst` (frames the same size).
void copy_rect(const AVFrame *src, const Rect &r, AVFrame *dst);
// dst = a * (1 - t) + b * t, all frames the same size.
void crossfade(const AVFrame *a, const AVFrame *b, double t, AVFrame *dst);
// Slide: `b` pushes `a` out; `t` in [0,1]; dx, dy in {-1,0,1} say where `a` goes.
void slide(const AVFrame *a, const AVFrame *b, double t, int dx, int dy, AVFrame *dst);

}  // namespace automuse::render::detail
