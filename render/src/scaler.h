// Picture scaling helpers on top of libswscale: fit a decoded picture (any pixel format) into
// a yuv420p frame by cover (crop) or contain (letterbox).
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

// Scales `src` (any format, any colour range) into `dst` (yuv420p, BT.709 limited), covering
// it (centre crop) or containing it on `background`. `scaler` is a reusable cache.
void fit_picture(const AVFrame *src, Fit fit, Yuv background, AVFrame *dst, Scaler &scaler);

}  // namespace automuse::render::detail
