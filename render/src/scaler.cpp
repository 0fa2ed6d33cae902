// Cover/contain fitting and region scaling with libswscale (see scaler.h).
#include "scaler.h"

#include <algorithm>
#include <cmath>

#include "alpha_over.h"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <iterator>

namespace automuse::render::detail {

SwsContext *Scaler::get(int sw, int sh, AVPixelFormat sfmt, bool src_full, int src_matrix, int dw,
                        int dh, AVPixelFormat dfmt, bool dst_full, int dst_matrix, int flags) {
  const int key[11] = {sw, sh,   sfmt,     src_full,   src_matrix, dw,
                       dh, dfmt, dst_full, dst_matrix, flags};
  if (ctx_ && std::equal(std::begin(key), std::end(key), key_)) return ctx_;
  sws_freeContext(ctx_);
  ctx_ = sws_alloc_context();
  if (!ctx_) throw CodecError("cannot create a scaler");
  av_opt_set_int(ctx_, "srcw", sw, 0);
  av_opt_set_int(ctx_, "srch", sh, 0);
  av_opt_set_int(ctx_, "src_format", sfmt, 0);
  av_opt_set_int(ctx_, "dstw", dw, 0);
  av_opt_set_int(ctx_, "dsth", dh, 0);
  av_opt_set_int(ctx_, "dst_format", dfmt, 0);
  av_opt_set_int(ctx_, "sws_flags", flags, 0);
  av_opt_set_int(ctx_, "src_range", src_full, 0);
  av_opt_set_int(ctx_, "dst_range", dst_full, 0);
  if (sws_init_context(ctx_, nullptr, nullptr) < 0) {
    sws_freeContext(ctx_);
    ctx_ = nullptr;
    throw CodecError("cannot create a scaler");
  }
  sws_setColorspaceDetails(ctx_, sws_getCoefficients(src_matrix), src_full,
                           sws_getCoefficients(dst_matrix), dst_full, 0, 1 << 16, 1 << 16);
  std::copy(std::begin(key), std::end(key), key_);
  return ctx_;
}

namespace {

int even(double v) {
  return std::max(2, static_cast<int>(std::lround(v / 2)) * 2);
}

// libswscale predates the AV_PIX_FMT_YUVJ* deprecation: map them and report full range.
AVPixelFormat normalise_format(AVPixelFormat f, bool &full_range) {
  switch (f) {
    case AV_PIX_FMT_YUVJ420P:
      full_range = true;
      return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
      full_range = true;
      return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
      full_range = true;
      return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
      full_range = true;
      return AV_PIX_FMT_YUV440P;
    default:
      return f;
  }
}

// Scales the sw x sh region of `src` at (sx, sy) into the dw x dh region of `dst` at (dx, dy):
// a yuv420p frame (BT.709 limited), or an RGB one (full range) at (0, 0).
void scale_into(const AVFrame *src, int sx, int sy, int sw, int sh, AVFrame *dst, int dx, int dy,
                int dw, int dh, Scaler &scaler, int flags) {
  bool full = src->color_range == AVCOL_RANGE_JPEG;
  AVPixelFormat fmt = normalise_format(static_cast<AVPixelFormat>(src->format), full);
  const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(fmt);
  const bool is_rgb = desc->flags & AV_PIX_FMT_FLAG_RGB;
  const int src_cs = is_rgb                               ? SWS_CS_DEFAULT
                     : src->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709
                                                          : SWS_CS_ITU601;
  const auto dst_fmt = static_cast<AVPixelFormat>(dst->format);
  const bool dst_rgb = dst_fmt != AV_PIX_FMT_YUV420P;
  SwsContext *ctx = scaler.get(sw, sh, fmt, is_rgb || full, src_cs, dw, dh, dst_fmt, dst_rgb,
                               SWS_CS_ITU709, flags);
  // Offsets of the source crop in each plane.
  const uint8_t *sp[4] = {};
  int sl[4] = {};
  for (int p = 0; p < 4 && src->data[p]; ++p) {
    sl[p] = src->linesize[p];
    if ((desc->flags & AV_PIX_FMT_FLAG_PAL) && p == 1) {
      sp[p] = src->data[p];
      continue;
    }
    int shx = (p == 1 || p == 2) ? desc->log2_chroma_w : 0;
    int shy = (p == 1 || p == 2) ? desc->log2_chroma_h : 0;
    int step = desc->comp[0].step;
    for (int c = 0; c < desc->nb_components; ++c)
      if (desc->comp[c].plane == p) step = desc->comp[c].step;
    if (desc->flags & AV_PIX_FMT_FLAG_BITSTREAM) step = 1;  // not cropped horizontally
    sp[p] = src->data[p] + static_cast<ptrdiff_t>(sy >> shy) * sl[p] +
            ((desc->flags & AV_PIX_FMT_FLAG_BITSTREAM) ? 0 : (sx >> shx) * step);
  }
  uint8_t *dp[4] = {dst->data[0]};
  for (int p = 0; p < 3 && !dst_rgb; ++p) {
    int ox = p ? dx / 2 : dx, oy = p ? dy / 2 : dy;
    dp[p] = dst->data[p] + static_cast<ptrdiff_t>(oy) * dst->linesize[p] + ox;
  }
  sws_scale(ctx, sp, sl, 0, sh, dp, dst->linesize);
}

// `src` composited over `background` at its own size, in RGB (kept in `cache`). Before
// scaling, so the colour stored under transparent pixels never bleeds into the edges.
const AVFrame *flatten(const AVFrame *src, Color background, FitCache &cache) {
  AVFrame *flat = cache.flat.get();
  if (!flat || flat->width != src->width || flat->height != src->height) {
    cache.flat = make_frame();
    flat = cache.flat.get();
    flat->format = AV_PIX_FMT_RGBA;
    flat->width = src->width;
    flat->height = src->height;
    check(av_frame_get_buffer(flat, 32), "allocate frame");
  }
  flat->format = AV_PIX_FMT_RGBA;  // composite_over left it labelled RGB0
  scale_into(src, 0, 0, src->width, src->height, flat, 0, 0, src->width, src->height, cache.to_rgba,
             SWS_BILINEAR);
  composite_over(flat, background);
  return flat;
}

}  // namespace

double fit_factor(int sw, int sh, int dw, int dh, Fit fit) {
  const double x = static_cast<double>(dw) / sw, y = static_cast<double>(dh) / sh;
  return fit == Fit::kCover ? std::max(x, y) : std::min(x, y);
}

void fit_picture(const AVFrame *src, Fit fit, Color background, AVFrame *dst, FitCache &cache,
                 int flags) {
  if (has_transparency(src)) src = flatten(src, background, cache);
  const double sw = src->width, sh = src->height, dw = dst->width, dh = dst->height;
  const double scale = fit_factor(src->width, src->height, dst->width, dst->height, fit);
  if (fit == Fit::kCover) {
    // The source region that maps onto the whole destination, centred; even for 4:2:0 sources.
    int cw = std::min(src->width, static_cast<int>(std::lround(dw / scale)));
    int ch = std::min(src->height, static_cast<int>(std::lround(dh / scale)));
    int cx = ((src->width - cw) / 2) & ~1, cy = ((src->height - ch) / 2) & ~1;
    scale_into(src, cx, cy, cw, ch, dst, 0, 0, dst->width, dst->height, cache.fit, flags);
    return;
  }
  int fw = std::min(dst->width, even(sw * scale)), fh = std::min(dst->height, even(sh * scale));
  fill_frame(dst, to_yuv(background));
  int ox = ((dst->width - fw) / 2) & ~1, oy = ((dst->height - fh) / 2) & ~1;
  scale_into(src, 0, 0, src->width, src->height, dst, ox, oy, fw, fh, cache.fit, flags);
}

}  // namespace automuse::render::detail
