// Enlarging: a picture enlarged more than 2x to fill the canvas (its motion margin included)
// is drawn with the sharper scaler and named in a warning; a smaller enlargement is not.
#include <gtest/gtest.h>

#include <cstdlib>

#include "media_input.h"
#include "render_fixture.h"
#include "scaler.h"

namespace automuse::render::test {
namespace {

class Upscale : public RenderFixture {
 protected:
  // A picture with a hard black/white vertical edge in the middle (and a diagonal one), so the
  // scaler's sharpness shows.
  void edge_png(const std::string &name, int w, int h) {
    write_png(at(name), w, h, [w](int x, int y) {
      const bool white = x >= w / 2 || x + y < w / 4;
      return white ? Rgb{255, 255, 255} : Rgb{0, 0, 0};
    });
  }

  std::vector<std::string> warnings(const std::string &image, const std::string &fit,
                                    double strength) {
    Timeline t = parse(R"({"canvas": {"width": 270, "height": 480},
        "scenes": [{"image": ")" +
                       image + R"(", "duration": 1, "fit": ")" + fit + R"(", "motion_strength": )" +
                       std::to_string(strength) + R"(}],
        "output": {"path": "o.mp4"}})");
    std::vector<std::string> w;
    auto e = validate_timeline(t, &w);
    EXPECT_FALSE(e) << e->to_string();
    return w;
  }

  // The picture fitted to 270x480 by cover with libswscale `flags`, as the renderer would.
  Picture reference(const std::string &image, int flags) {
    std::string error;
    detail::FramePtr src = detail::decode_image(at(image), error);
    EXPECT_TRUE(src) << error;
    detail::FramePtr dst = detail::make_yuv_frame(270, 480);
    detail::FitCache cache;
    detail::fit_picture(src.get(), Fit::kCover, Color{}, dst.get(), cache, flags);
    Picture p;
    p.width = 270;
    p.height = 480;
    for (int y = 0; y < 480; ++y) {
      const uint8_t *row = dst->data[0] + y * dst->linesize[0];
      p.y.insert(p.y.end(), row, row + 270);
    }
    return p;
  }
};

// The steepest step between neighbouring pixels across the vertical edge.
int steepest_step(const Picture &p, int y) {
  int best = 0;
  for (int x = 1; x < p.width; ++x)
    best = std::max(best, std::abs(p.luma(x, y) - p.luma(x - 1, y)));
  return best;
}

TEST_F(Upscale, SmallPictureIsSharpenedAndNamedInAWarning) {
  // 60x100 covering 270x480: enlarged 4.8x.
  edge_png("small.png", 60, 100);
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480, "fps": 10},
      "scenes": [{"image": "small.png", "duration": 0.2, "motion": "none",
                  "motion_strength": 0}],
      "output": {"path": "out.mp4", "crf": 0, "preset": "ultrafast"}})");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  const std::string &w = r.warnings[0];
  EXPECT_EQ(
      w.rfind("scenes[0].image: " + at("small.png").string() + " is 60x100, enlarged 4.8x", 0), 0u)
      << w;
  EXPECT_NE(w.find("soft"), std::string::npos) << w;

  // The frame is the bicubic fit (x264 at crf 0 is lossless), with a steeper edge than the
  // bilinear fit used for modest enlargements.
  const auto frames = decode_frames(at("out.mp4"));
  ASSERT_EQ(frames.size(), 2u);
  const Picture sharp = reference("small.png", detail::kSharpScale);
  const Picture soft = reference("small.png", detail::kFastScale);
  EXPECT_LT(mean_abs_diff(frames[0], sharp, 0, 0, 270, 480), 0.01);
  EXPECT_GT(mean_abs_diff(frames[0], soft, 0, 0, 270, 480), 0.5);
  EXPECT_GT(steepest_step(frames[0], 400), steepest_step(soft, 400) + 5);
}

TEST_F(Upscale, ModestEnlargementHasNoWarning) {
  // 200x300 covering 298x528 (the canvas and the default 0.1 motion margin): 1.76x.
  edge_png("fair.png", 200, 300);
  EXPECT_TRUE(warnings("fair.png", "cover", 0.1).empty());
  // Shrinking never warns.
  edge_png("big.png", 1000, 1600);
  EXPECT_TRUE(warnings("big.png", "contain", 0.1).empty());
}

TEST_F(Upscale, MotionMarginCountsAndContainToo) {
  // 160x300 covering 270x480 is 1.7x; with a 0.3 zoom margin (352x624) it is 2.2x.
  edge_png("p.png", 160, 300);
  EXPECT_TRUE(warnings("p.png", "cover", 0).empty());
  const auto w = warnings("p.png", "cover", 0.3);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(
      w[0].find("enlarged 2.2x to cover 352x624 (the 270x480 canvas and its motion margin); "),
      std::string::npos)
      << w[0];
  // Contain enlarges by the smaller ratio: 100x100 into 270x480 is 2.7x.
  edge_png("square.png", 100, 100);
  const auto c = warnings("square.png", "contain", 0);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0].find("is 100x100, enlarged 2.7x to fit in 270x480; "), std::string::npos) << c[0];
}

}  // namespace
}  // namespace automuse::render::test
