// Pictures with an alpha channel (RGBA or grey+alpha PNG, WebP with alpha, GIF transparency,
// YUVA, clips with alpha) on the opaque canvas: composited "over" its background colour.
#pragma once

#include "automuse_render/timeline.h"
#include "av_util.h"

namespace automuse::render::detail {

// Whether `f`'s pixel format carries alpha (a palette counts: its entries have alpha).
bool has_alpha(const AVFrame *f);

// Composites an AV_PIX_FMT_RGBA frame over `background` in place, in its own 8-bit RGB
// (plain "over", no gamma), and relabels it AV_PIX_FMT_RGB0: opaque from now on.
void composite_over(AVFrame *rgba, Color background);

}  // namespace automuse::render::detail
