// The Ken Burns resampler (render/src/zoom_scaler.h): its frames match libswscale's bilinear
// scaling of the same window, every SIMD kernel gives the portable path's exact bytes, and
// a canvas-sized window at whole pixels is an exact copy.
#include "zoom_scaler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "frame_ops.h"

namespace automuse::render::detail {
namespace {

// A photo-like yuv420p test picture: smooth gradients, a few textures and a soft edge.
FramePtr test_picture(int w, int h) {
  FramePtr f = make_yuv_frame(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double v = 120 + 50 * std::sin(x * 0.07 + y * 0.03) + 25 * std::sin(y * 0.19) +
                 30 * std::tanh((x - 0.4 * y - 60) / 3.0) + 12 * std::sin(x * 0.45) * (y % 97 < 40);
      f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(std::clamp(v, 16.0, 235.0));
    }
  for (int y = 0; y < h / 2; ++y)
    for (int x = 0; x < w / 2; ++x) {
      f->data[1][y * f->linesize[1] + x] =
          static_cast<uint8_t>(128 + 60 * std::sin(x * 0.05) * std::cos(y * 0.04));
      f->data[2][y * f->linesize[2] + x] =
          static_cast<uint8_t>(128 + 50 * std::tanh((y - x * 0.8 - 20) / 4.0));
    }
  return f;
}

// libswscale's bilinear scaling of the whole-pixel window (x, y, w, h; all even).
FramePtr swscale_reference(const AVFrame *src, int x, int y, int w, int h, int dw, int dh) {
  FramePtr dst = make_yuv_frame(dw, dh);
  SwsContext *ctx = sws_getContext(w, h, AV_PIX_FMT_YUV420P, dw, dh, AV_PIX_FMT_YUV420P,
                                   SWS_BILINEAR | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
  EXPECT_NE(ctx, nullptr);
  const uint8_t *planes[3] = {src->data[0] + y * src->linesize[0] + x,
                              src->data[1] + y / 2 * src->linesize[1] + x / 2,
                              src->data[2] + y / 2 * src->linesize[2] + x / 2};
  sws_scale(ctx, planes, src->linesize, 0, h, dst->data, dst->linesize);
  sws_freeContext(ctx);
  return dst;
}

// PSNR of plane p of a against b, in dB.
double psnr(const AVFrame *a, const AVFrame *b, int p) {
  const int w = p ? (a->width + 1) / 2 : a->width, h = p ? (a->height + 1) / 2 : a->height;
  double se = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double d = a->data[p][y * a->linesize[p] + x] - b->data[p][y * b->linesize[p] + x];
      se += d * d;
    }
  const double mse = se / (static_cast<double>(w) * h);
  return mse == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 / mse);
}

bool same_pixels(const AVFrame *a, const AVFrame *b) {
  for (int p = 0; p < 3; ++p) {
    const int w = p ? (a->width + 1) / 2 : a->width, h = p ? (a->height + 1) / 2 : a->height;
    for (int y = 0; y < h; ++y)
      if (std::memcmp(a->data[p] + y * a->linesize[p], b->data[p] + y * b->linesize[p],
                      static_cast<size_t>(w)) != 0)
        return false;
  }
  return true;
}

std::vector<ZoomScaler::Isa> isas() {
  std::vector<ZoomScaler::Isa> v{ZoomScaler::Isa::kPortable};
  if (ZoomScaler::best_isa() >= ZoomScaler::Isa::kSsse3) v.push_back(ZoomScaler::Isa::kSsse3);
  if (ZoomScaler::best_isa() >= ZoomScaler::Isa::kAvx2) v.push_back(ZoomScaler::Isa::kAvx2);
  if (ZoomScaler::best_isa() >= ZoomScaler::Isa::kAvx512) v.push_back(ZoomScaler::Isa::kAvx512);
  return v;
}

TEST(ZoomScaler, MatchesSwscaleBilinearOverAKenBurnsZoom) {
  // The benchmark's geometry at a quarter of the size: a 1.1x enlarged picture zoomed to the
  // canvas, at the start, the middle and the end of the motion.
  FramePtr big = test_picture(298, 528);
  const int dw = 270, dh = 480;
  const struct {
    int x, y, w, h;
  } windows[] = {{0, 0, 298, 528}, {6, 12, 284, 504}, {14, 24, 270, 480}, {40, 60, 200, 356}};
  for (auto isa : isas()) {
    ZoomScaler scaler(isa);
    for (const auto &w : windows) {
      FramePtr out = make_yuv_frame(dw, dh);
      const Window win{static_cast<double>(w.x), static_cast<double>(w.y), static_cast<double>(w.w),
                       static_cast<double>(w.h)};
      scaler.scale(big.get(), win, out.get());
      FramePtr ref = swscale_reference(big.get(), w.x, w.y, w.w, w.h, dw, dh);
      for (int p = 0; p < 3; ++p)
        EXPECT_GT(psnr(out.get(), ref.get(), p), 45.0)
            << "plane " << p << " window " << w.x << "," << w.y << " " << w.w << "x" << w.h
            << " isa " << static_cast<int>(isa);
    }
  }
}

TEST(ZoomScaler, CanvasSizedWholePixelWindowIsAnExactCopy) {
  FramePtr big = test_picture(298, 528);
  FramePtr out = make_yuv_frame(270, 480), ref = make_yuv_frame(270, 480);
  copy_region(big.get(), 14, 24, ref.get());
  for (auto isa : isas()) {
    ZoomScaler(isa).scale(big.get(), Window{14, 24, 270, 480}, out.get());
    EXPECT_TRUE(same_pixels(out.get(), ref.get())) << "isa " << static_cast<int>(isa);
  }
}

TEST(ZoomScaler, SimdKernelsGiveThePortableBytes) {
  // Fractional windows, magnification, strong minification (blocks wider than one load) and
  // output widths that are not multiples of the kernels' steps.
  FramePtr big = test_picture(322, 402);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  const int sizes[][2] = {{270, 480}, {118, 62}, {30, 18}, {400, 300}, {2, 2}};
  for (const auto &s : sizes)
    for (int k = 0; k < 6; ++k) {
      const double w = 4 + unit(rng) * 318, h = 4 + unit(rng) * 398;
      const Window win{unit(rng) * (322 - w), unit(rng) * (402 - h), w, h};
      FramePtr want = make_yuv_frame(s[0], s[1]);
      ZoomScaler(ZoomScaler::Isa::kPortable).scale(big.get(), win, want.get());
      for (auto isa : isas()) {
        FramePtr got = make_yuv_frame(s[0], s[1]);
        ZoomScaler(isa).scale(big.get(), win, got.get());
        EXPECT_TRUE(same_pixels(got.get(), want.get()))
            << "isa " << static_cast<int>(isa) << " " << s[0] << "x" << s[1] << " window " << win.x
            << "," << win.y << " " << win.w << "x" << win.h;
      }
    }
}

TEST(ZoomScaler, FractionalWindowsMoveSmoothly) {
  // Half a pixel of window movement changes the picture about half as much as one pixel: the
  // motion no longer steps in whole pixels.
  FramePtr big = test_picture(298, 528);
  ZoomScaler scaler;
  auto at = [&](double x) {
    FramePtr f = make_yuv_frame(270, 480);
    scaler.scale(big.get(), Window{x, 20, 280, 497.8}, f.get());
    return f;
  };
  FramePtr a = at(6), half = at(6.5), one = at(7);
  auto diff = [](const AVFrame *p, const AVFrame *q) {
    double s = 0;
    for (int y = 0; y < p->height; ++y)
      for (int x = 0; x < p->width; ++x)
        s += std::abs(p->data[0][y * p->linesize[0] + x] - q->data[0][y * q->linesize[0] + x]);
    return s / (p->width * p->height);
  };
  const double d_half = diff(a.get(), half.get()), d_one = diff(a.get(), one.get());
  EXPECT_GT(d_half, 0.3 * d_one);
  EXPECT_LT(d_half, 0.7 * d_one);
}

}  // namespace
}  // namespace automuse::render::detail
