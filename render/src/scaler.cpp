// Cover/contain fitting and region scaling with libswscale (see scaler.h).
#include "scaler.h"

#include <algorithm>
#include <cmath>

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

// Bilinear: cheap enough per frame for video clips, and fine for the modest scale changes of
// fitting a picture to the canvas.
constexpr int kScaleFlags = SWS_FAST_BILINEAR;

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

void scale_into(const AVFrame *src, int sx, int sy, int sw, int sh, AVFrame *dst, int dx, int dy,
                int dw, int dh, Scaler &scaler) {
  bool full = src->color_range == AVCOL_RANGE_JPEG;
  AVPixelFormat fmt = normalise_format(static_cast<AVPixelFormat>(src->format), full);
  const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(fmt);
  const bool is_rgb = desc->flags & AV_PIX_FMT_FLAG_RGB;
  const int src_cs = is_rgb                               ? SWS_CS_DEFAULT
                     : src->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709
                                                          : SWS_CS_ITU601;
  SwsContext *ctx = scaler.get(sw, sh, fmt, is_rgb || full, src_cs, dw, dh, AV_PIX_FMT_YUV420P,
                               false, SWS_CS_ITU709, kScaleFlags);
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
  uint8_t *dp[4] = {};
  for (int p = 0; p < 3; ++p) {
    int ox = p ? dx / 2 : dx, oy = p ? dy / 2 : dy;
    dp[p] = dst->data[p] + static_cast<ptrdiff_t>(oy) * dst->linesize[p] + ox;
  }
  sws_scale(ctx, sp, sl, 0, sh, dp, dst->linesize);
}

}  // namespace

void fit_picture(const AVFrame *src, Fit fit, Yuv background, AVFrame *dst, Scaler &scaler) {
  const double sw = src->width, sh = src->height, dw = dst->width, dh = dst->height;
  if (fit == Fit::kCover) {
    const double scale = std::max(dw / sw, dh / sh);
    // The source region that maps onto the whole destination, centred; even for 4:2:0 sources.
    int cw = std::min(src->width, static_cast<int>(std::lround(dw / scale)));
    int ch = std::min(src->height, static_cast<int>(std::lround(dh / scale)));
    int cx = ((src->width - cw) / 2) & ~1, cy = ((src->height - ch) / 2) & ~1;
    scale_into(src, cx, cy, cw, ch, dst, 0, 0, dst->width, dst->height, scaler);
    return;
  }
  const double scale = std::min(dw / sw, dh / sh);
  int fw = std::min(dst->width, even(sw * scale)), fh = std::min(dst->height, even(sh * scale));
  fill_frame(dst, background);
  int ox = ((dst->width - fw) / 2) & ~1, oy = ((dst->height - fh) / 2) & ~1;
  scale_into(src, 0, 0, src->width, src->height, dst, ox, oy, fw, fh, scaler);
}

}  // namespace automuse::render::detail
