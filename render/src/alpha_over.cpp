// Alpha compositing over the canvas background (see alpha_over.h).
#include "alpha_over.h"

#include <algorithm>

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

bool has_transparency(const AVFrame *f) {
  const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format));
  if (!d) return false;
  if (d->flags & AV_PIX_FMT_FLAG_PAL) {
    const auto *palette = reinterpret_cast<const uint32_t *>(f->data[1]);  // 0xAARRGGBB
    return std::any_of(palette, palette + 256, [](uint32_t c) { return c >> 24 != 0xFF; });
  }
  if (!(d->flags & AV_PIX_FMT_FLAG_ALPHA)) return false;
  const AVComponentDescriptor &alpha = d->comp[d->nb_components - 1];  // alpha comes last
  if (alpha.depth != 8) return true;  // not scanned: composited, which is right either way
  for (int y = 0; y < f->height; ++y) {
    const uint8_t *p =
        f->data[alpha.plane] + static_cast<ptrdiff_t>(y) * f->linesize[alpha.plane] + alpha.offset;
    for (int x = 0; x < f->width; ++x)
      if (p[static_cast<ptrdiff_t>(x) * alpha.step] != 255) return true;
  }
  return false;
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
