// Whole-frame yuv420p operations (see frame_ops.h).
#include "frame_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace automuse::render::detail {
namespace {

uint8_t clamp_u8(double v) {
  return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

int plane_w(const AVFrame *f, int p) {
  return p == 0 ? f->width : (f->width + 1) / 2;
}
int plane_h(const AVFrame *f, int p) {
  return p == 0 ? f->height : (f->height + 1) / 2;
}

}  // namespace

Yuv rgb_to_yuv709(uint8_t r8, uint8_t g8, uint8_t b8) {
  double r = r8 / 255.0, g = g8 / 255.0, b = b8 / 255.0;
  double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  double u = (b - y) / 1.8556, v = (r - y) / 1.5748;
  return Yuv{clamp_u8(16 + 219 * y), clamp_u8(128 + 224 * u), clamp_u8(128 + 224 * v)};
}

void fill_frame(AVFrame *dst, Yuv c) {
  const uint8_t vals[3] = {c.y, c.u, c.v};
  for (int p = 0; p < 3; ++p)
    for (int row = 0; row < plane_h(dst, p); ++row)
      std::memset(dst->data[p] + static_cast<ptrdiff_t>(row) * dst->linesize[p], vals[p],
                  static_cast<size_t>(plane_w(dst, p)));
}

void copy_region(const AVFrame *src, int x, int y, AVFrame *dst) {
  for (int p = 0; p < 3; ++p) {
    int sx = p ? x / 2 : x, sy = p ? y / 2 : y;
    const uint8_t *s = src->data[p] + static_cast<ptrdiff_t>(sy) * src->linesize[p] + sx;
    for (int row = 0; row < plane_h(dst, p); ++row)
      std::memcpy(dst->data[p] + static_cast<ptrdiff_t>(row) * dst->linesize[p],
                  s + static_cast<ptrdiff_t>(row) * src->linesize[p],
                  static_cast<size_t>(plane_w(dst, p)));
  }
}

void copy_rect(const AVFrame *src, const Rect &r, AVFrame *dst) {
  if (r.empty()) return;
  for (int p = 0; p < 3; ++p) {
    const int x = p ? r.x / 2 : r.x, y = p ? r.y / 2 : r.y;
    const int w = p ? r.w / 2 : r.w, h = p ? r.h / 2 : r.h;
    for (int row = y; row < y + h; ++row)
      std::memcpy(dst->data[p] + static_cast<ptrdiff_t>(row) * dst->linesize[p] + x,
                  src->data[p] + static_cast<ptrdiff_t>(row) * src->linesize[p] + x,
                  static_cast<size_t>(w));
  }
}

void crossfade(const AVFrame *a, const AVFrame *b, double t, AVFrame *dst) {
  const unsigned wb = static_cast<unsigned>(std::clamp(std::lround(t * 256), 0L, 256L));
  const unsigned wa = 256 - wb;
  for (int p = 0; p < 3; ++p) {
    const int w = plane_w(dst, p);
    for (int row = 0; row < plane_h(dst, p); ++row) {
      const uint8_t *ra = a->data[p] + static_cast<ptrdiff_t>(row) * a->linesize[p];
      const uint8_t *rb = b->data[p] + static_cast<ptrdiff_t>(row) * b->linesize[p];
      uint8_t *rd = dst->data[p] + static_cast<ptrdiff_t>(row) * dst->linesize[p];
      // Plain loop so the compiler vectorises it.
      for (int i = 0; i < w; ++i)
        rd[i] = static_cast<uint8_t>((ra[i] * wa + rb[i] * wb + 128) >> 8);
    }
  }
}

void slide(const AVFrame *a, const AVFrame *b, double t, int dx, int dy, AVFrame *dst) {
  t = std::clamp(t, 0.0, 1.0);
  for (int p = 0; p < 3; ++p) {
    const int w = plane_w(dst, p), h = plane_h(dst, p);
    // Offset in this plane's pixels by which `a` has moved.
    const int ox = static_cast<int>(std::lround(t * w)) * dx;
    const int oy = static_cast<int>(std::lround(t * h)) * dy;
    for (int row = 0; row < h; ++row) {
      uint8_t *rd = dst->data[p] + static_cast<ptrdiff_t>(row) * dst->linesize[p];
      // Which source row feeds this output row: a's row (row - oy) or b's row.
      int ar = row - oy;
      if (dy != 0) {
        const AVFrame *src;
        int sr;
        if (ar >= 0 && ar < h)
          src = a, sr = ar;
        else
          src = b, sr = dy < 0 ? ar - h : ar + h;
        std::memcpy(rd, src->data[p] + static_cast<ptrdiff_t>(sr) * src->linesize[p],
                    static_cast<size_t>(w));
        continue;
      }
      const uint8_t *ra = a->data[p] + static_cast<ptrdiff_t>(row) * a->linesize[p];
      const uint8_t *rb = b->data[p] + static_cast<ptrdiff_t>(row) * b->linesize[p];
      const int m = std::abs(ox);
      if (dx < 0) {  // a moves left, b enters from the right
        std::memcpy(rd, ra + m, static_cast<size_t>(w - m));
        std::memcpy(rd + (w - m), rb, static_cast<size_t>(m));
      } else {  // a moves right, b enters from the left
        std::memcpy(rd, rb + (w - m), static_cast<size_t>(m));
        std::memcpy(rd + m, ra, static_cast<size_t>(w - m));
      }
    }
  }
}

}  // namespace automuse::render::detail
