// Picture scaling helpers on top of libswscale: fit a decoded picture (any pixel format, alpha
// composited over the background) into a yuv420p frame by cover (crop) or contain (letterbox).
#pragma once

#include "automuse_render/timeline.h"
#include "av_util.h"
#include "frame_ops.h"

namespace automuse::render::detail {

// A libswscale context kept while its parameters stay the same. Ranges are set before the
// context is initialised so that even an unscaled copy converts full range to limited.
class Scaler {
 public:
  Scaler() = default;
  Scaler(const Scaler &) = delete;
  Scaler &operator=(const Scaler &) = delete;
  ~Scaler() { sws_freeContext(ctx_); }
  SwsContext *get(int sw, int sh, AVPixelFormat sfmt, bool src_full, int src_matrix, int dw, int dh,
                  AVPixelFormat dfmt, bool dst_full, int dst_matrix, int flags);

 private:
  SwsContext *ctx_ = nullptr;
  int key_[11] = {};
};

// What fit_picture keeps between calls (a clip's frames): its libswscale contexts and, for
// pictures with alpha, the composited copy.
struct FitCache {
  Scaler fit, to_rgba;
  FramePtr flat;
};

// Bilinear: cheap enough per frame for video clips, and fine for the modest scale changes of
// fitting a picture to the canvas.
constexpr int kFastScale = SWS_FAST_BILINEAR;
// For still pictures enlarged more than kSharpScaleFactor times: bicubic keeps edges steeper
// than bilinear's soft ramps, once per picture at about half a millisecond more (640x480 to
// 1080x1920: 1.9 ms against 1.3 ms). Lanczos gives the same edge slope with stronger ringing
// at twice bicubic's cost.
constexpr int kSharpScale = SWS_BICUBIC;
constexpr double kSharpScaleFactor = 2.0;

// How many times fit_picture enlarges a sw x sh picture to fit dw x dh (<1: it shrinks).
double fit_factor(int sw, int sh, int dw, int dh, Fit fit);

// Scales `src` (any format, any colour range) into `dst` (yuv420p, BT.709 limited), covering
// it (centre crop) or containing it on `background`. A picture with alpha is composited over
// `background` first (the canvas is opaque). `flags` are libswscale's SWS_* for the scaling.
void fit_picture(const AVFrame *src, Fit fit, Color background, AVFrame *dst, FitCache &cache,
                 int flags = kFastScale);

}  // namespace automuse::render::detail
