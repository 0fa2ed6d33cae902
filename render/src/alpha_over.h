// Pictures with an alpha channel (RGBA or grey+alpha PNG, WebP with alpha, GIF transparency,
// YUVA, clips with alpha) on the opaque canvas: composited "over" its background colour.
#pragma once

#include "automuse_render/timeline.h"
#include "av_util.h"

namespace automuse::render::detail {

// Whether some pixel of `f` is not fully opaque: its format carries alpha (a palette's entries
// count) and, for 8-bit alpha, a value below 255 is found. Opaque pictures saved with an alpha
// channel (common for PNG) so skip the compositing pass.
bool has_transparency(const AVFrame *f);

// Composites an AV_PIX_FMT_RGBA frame over `background` in place, in its own 8-bit RGB
// (plain "over", no gamma), and relabels it AV_PIX_FMT_RGB0: opaque from now on.
void composite_over(AVFrame *rgba, Color background);

}  // namespace automuse::render::detail
