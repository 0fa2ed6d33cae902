// Alpha compositing over the canvas background (see alpha_over.h).
#include "alpha_over.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace automuse::render::detail {
namespace {

// round(v / 255) for v in [0, 255 * 255], exactly.
inline uint8_t div255(unsigned v) {
  v += 128;
  return static_cast<uint8_t>((v + (v >> 8)) >> 8);
}

}  // namespace

bool has_alpha(const AVFrame *f) {
  const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format));
  return d && (d->flags & (AV_PIX_FMT_FLAG_ALPHA | AV_PIX_FMT_FLAG_PAL));
}

void composite_over(AVFrame *rgba, Color background) {
  const unsigned bg[3] = {background.r, background.g, background.b};
  for (int y = 0; y < rgba->height; ++y) {
    uint8_t *p = rgba->data[0] + static_cast<ptrdiff_t>(y) * rgba->linesize[0];
    for (int x = 0; x < rgba->width; ++x, p += 4) {
      const unsigned a = p[3];
      if (a == 255) continue;
      for (int c = 0; c < 3; ++c) p[c] = div255(p[c] * a + bg[c] * (255 - a));
      p[3] = 255;
    }
  }
  rgba->format = AV_PIX_FMT_RGB0;
}

}  // namespace automuse::render::detail
