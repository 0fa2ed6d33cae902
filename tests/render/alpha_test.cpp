// Transparency: pictures and clips with alpha are composited "over" the canvas background
// (never the colour stored under transparent pixels), for cover and contain, checked on the
// rendered file; and the canvas itself cannot be given transparency.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "alpha_media.h"
#include "alpha_over.h"
#include "frame_ops.h"
#include "render_fixture.h"
#include "scaler.h"

namespace automuse::render::test {
namespace {

using detail::Yuv;

// Plain "over" in 8-bit RGB, as the user expects.
Rgb over(Rgba c, Rgb bg) {
  auto mix = [&](int fg, int b) {
    return static_cast<uint8_t>((fg * c.a + b * (255 - c.a) + 127) / 255);
  };
  return Rgb{mix(c.r, bg.r), mix(c.g, bg.g), mix(c.b, bg.b)};
}

Yuv yuv(Rgb c) {
  return detail::rgb_to_yuv709(c.r, c.g, c.b);
}

Rgb parse_hex(const std::string &hex) {
  const unsigned long v = std::strtoul(hex.substr(1, 6).c_str(), nullptr, 16);
  return Rgb{static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

// x264 at crf 0 is lossless; the tolerance covers libswscale's rounding.
void expect_pixel(const Picture &p, int x, int y, Yuv want, const std::string &what,
                  int tolerance = 2) {
  SCOPED_TRACE(what + " at (" + std::to_string(x) + ", " + std::to_string(y) + ")");
  EXPECT_NEAR(p.luma(x, y), want.y, tolerance);
  EXPECT_NEAR(p.cb(x, y), want.u, tolerance);
  EXPECT_NEAR(p.cr(x, y), want.v, tolerance);
}

// Three horizontal bands: fully transparent over black (what a "black box" would show),
// half-transparent red, opaque green.
constexpr Rgba kClear{0, 0, 0, 0}, kHalfRed{255, 0, 0, 128}, kGreen{20, 180, 60, 255};
Rgba band(int y, int h) {
  return y < h / 3 ? kClear : y < 2 * h / 3 ? kHalfRed : kGreen;
}

class Alpha : public RenderFixture {
 protected:
  // Renders `media` as the one scene of a 270x480 canvas on `background`, losslessly.
  Picture render_one(const std::string &kind, const std::string &media, const std::string &fit,
                     const std::string &background, const std::string &out) {
    const std::string json =
        R"({"canvas": {"width": 270, "height": 480, "fps": 10, "background": ")" + background +
        R"("}, "scenes": [{")" + kind + R"(": ")" + media + R"(", "duration": 0.3, "fit": ")" +
        fit + R"(")" + (kind == "image" ? R"(, "motion": "none", "motion_strength": 0)" : "") +
        R"(}], "output": {"path": ")" + out + R"(", "crf": 0, "preset": "ultrafast"}})";
    RenderResult r = run(json);
    EXPECT_TRUE(r.ok()) << r.error;
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
    auto frames = decode_frames(at(out));
    EXPECT_EQ(frames.size(), 3u);
    return frames.empty() ? Picture{} : frames[1];
  }
};

TEST_F(Alpha, HalfTransparentRedOverWhiteIsPink) {
  // The figure users check, before any YUV conversion: 50% red over white is (255, 128, 128)
  // within rounding; transparent shows the background, opaque stays.
  auto f = detail::make_frame();
  f->format = AV_PIX_FMT_RGBA;
  f->width = 3;
  f->height = 1;
  ASSERT_GE(av_frame_get_buffer(f.get(), 32), 0);
  const uint8_t in[12] = {255, 0, 0, 128, 0, 0, 0, 0, 20, 180, 60, 255};
  std::memcpy(f->data[0], in, sizeof in);
  detail::composite_over(f.get(), Color{255, 255, 255, 255});
  EXPECT_EQ(f->format, AV_PIX_FMT_RGB0);
  const uint8_t *p = f->data[0];
  EXPECT_EQ(p[0], 255);
  EXPECT_NEAR(p[1], 128, 1);
  EXPECT_NEAR(p[2], 128, 1);
  EXPECT_EQ(std::vector<uint8_t>(p + 4, p + 7), (std::vector<uint8_t>{255, 255, 255}));
  EXPECT_EQ(std::vector<uint8_t>(p + 8, p + 11), (std::vector<uint8_t>{20, 180, 60}));
  const Rgb pink = over(kHalfRed, {255, 255, 255});  // the expectation the renders use
  EXPECT_EQ(std::vector<uint8_t>(p, p + 3), (std::vector<uint8_t>{pink.r, pink.g, pink.b}));
}

TEST_F(Alpha, PictureIsCompositedOverTheBackgroundForCoverAndContain) {
  // 540x480: cover crops its middle 270 columns at 1:1; contain halves it into a 270x240 band
  // in the middle of the canvas, background above and below.
  write_rgba_png(at("bands.png"), 540, 480, [](int, int y) { return band(y, 480); });
  for (const std::string bg : {"#FFFFFF", "#2850C8", "#2850C8FF"}) {
    const Rgb b = parse_hex(bg);
    const Picture cover = render_one("image", "bands.png", "cover", bg, "cover.mp4");
    expect_pixel(cover, 135, 80, yuv(b), "transparent, cover on " + bg);
    expect_pixel(cover, 135, 240, yuv(over(kHalfRed, b)), "half red, cover on " + bg);
    expect_pixel(cover, 135, 400, yuv(over(kGreen, b)), "opaque, cover on " + bg);
    const Picture contain = render_one("image", "bands.png", "contain", bg, "contain.mp4");
    expect_pixel(contain, 135, 40, yuv(b), "above, contain on " + bg);
    expect_pixel(contain, 135, 160, yuv(b), "transparent, contain on " + bg);
    expect_pixel(contain, 135, 240, yuv(over(kHalfRed, b)), "half red, contain on " + bg);
    expect_pixel(contain, 135, 320, yuv(over(kGreen, b)), "opaque, contain on " + bg);
    expect_pixel(contain, 135, 440, yuv(b), "below, contain on " + bg);
  }
}

TEST_F(Alpha, ClipFramesAreCompositedOverTheBackground) {
  // RGBA frames in .mov with the PNG codec, 32-bit ARGB with QuickTime Animation, and VP9's
  // alpha layer in WebM (decoded with libvpx: FFmpeg's own VP9 decoder drops it).
  for (const std::string codec : {"png", "qtrle", "vp9"}) {
    const std::string clip = codec + (codec == "vp9" ? ".webm" : ".mov");
    if (!write_rgba_clip(at(clip), codec, 270, 480, 10, 3,
                         [](int, int y) { return band(y, 480); })) {
      ADD_FAILURE() << "this FFmpeg cannot write " << codec;
      continue;
    }
    // VP9 goes through 4:2:0 YUV with BT.601 both ways, a little more rounding.
    const int tolerance = codec == "vp9" ? 4 : 2;
    for (const std::string bg : {"#FFFFFF", "#2850C8"}) {
      const Rgb b = parse_hex(bg);
      const Picture p = render_one("video", clip, "cover", bg, codec + ".mp4");
      expect_pixel(p, 135, 80, yuv(b), codec + " transparent on " + bg, tolerance);
      expect_pixel(p, 135, 240, yuv(over(kHalfRed, b)), codec + " half red on " + bg, tolerance);
      expect_pixel(p, 135, 400, yuv(over(kGreen, b)), codec + " opaque on " + bg, tolerance);
    }
  }
}

TEST_F(Alpha, CanvasBackgroundWithTransparencyIsRefused) {
  solid_png("ok.png", {10, 200, 30});
  auto timeline = [](const std::string &background) {
    return R"({"canvas": {"background": ")" + background +
           R"("}, "scenes": [{"image": "ok.png", "duration": 1}], "output": {"path": "o.mp4"},
              "subtitles": {"words": [{"text": "hi", "start": 0, "end": 0.5}],
                            "style": {"outline_color": "#00000080"}}})";
  };
  ParseResult r = parse_timeline(timeline("#FFFFFF80"), dir_);
  ASSERT_TRUE(r.error);
  const std::string e = r.error->to_string();
  EXPECT_EQ(e.rfind("canvas.background: ", 0), 0u) << e;
  EXPECT_NE(e.find("opaque"), std::string::npos) << e;
  EXPECT_FALSE(parse_timeline(timeline("#FFFFFF00"), dir_).timeline);
  // Opaque alpha is accepted, and the subtitles' colours keep theirs.
  ParseResult fine = parse_timeline(timeline("#102030FF"), dir_);
  ASSERT_FALSE(fine.error) << fine.error->to_string();
  EXPECT_EQ(fine.timeline->canvas.background.b, 0x30);
  EXPECT_EQ(fine.timeline->subtitles->style.outline_color.a, 0x80);
}

// Formats whose alpha does not come from an RGBA PNG: a palette with a transparent entry (GIF,
// paletted PNG) and YUV with alpha (WebP's lossy alpha, VP9/ProRes 4444 clips).
class AlphaFormats : public ::testing::Test {
 protected:
  // Fits `src` (same size as the 16x16 output, so 1:1) and returns the output's first pixel.
  static Yuv fitted(const AVFrame *src, Color bg) {
    auto dst = detail::make_yuv_frame(16, 16);
    detail::FitCache cache;
    detail::fit_picture(src, Fit::kContain, bg, dst.get(), cache);
    return Yuv{dst->data[0][0], dst->data[1][0], dst->data[2][0]};
  }
  static void expect_yuv(Yuv got, Yuv want) {
    EXPECT_NEAR(got.y, want.y, 2);
    EXPECT_NEAR(got.u, want.u, 2);
    EXPECT_NEAR(got.v, want.v, 2);
  }
};

TEST_F(AlphaFormats, PaletteTransparencyShowsTheBackground) {
  for (const uint32_t alpha : {0u, 128u, 255u}) {
    auto f = detail::make_frame();
    f->format = AV_PIX_FMT_PAL8;
    f->width = f->height = 16;
    ASSERT_GE(av_frame_get_buffer(f.get(), 32), 0);
    std::memset(f->data[0], 3, static_cast<size_t>(f->linesize[0]) * 16);
    // AV_PIX_FMT_PAL8's palette is native-endian 0xAARRGGBB.
    reinterpret_cast<uint32_t *>(f->data[1])[3] = alpha << 24 | 0x0000FFu;  // blue
    const Rgb want = over(Rgba{0, 0, 255, static_cast<uint8_t>(alpha)}, {255, 255, 255});
    SCOPED_TRACE("alpha " + std::to_string(alpha));
    expect_yuv(fitted(f.get(), Color{255, 255, 255, 255}), yuv(want));
  }
}

TEST_F(AlphaFormats, YuvWithAlphaShowsTheBackground) {
  auto f = detail::make_frame();
  f->format = AV_PIX_FMT_YUVA420P;
  f->width = f->height = 16;
  f->color_range = AVCOL_RANGE_MPEG;
  f->colorspace = AVCOL_SPC_BT709;
  ASSERT_GE(av_frame_get_buffer(f.get(), 32), 0);
  const Yuv red = yuv({255, 0, 0});
  const uint8_t values[4] = {red.y, red.u, red.v, 128};
  for (int p = 0; p < 4; ++p)
    std::memset(f->data[p], values[p],
                static_cast<size_t>(f->linesize[p]) * (p == 1 || p == 2 ? 8 : 16));
  expect_yuv(fitted(f.get(), Color{255, 255, 255, 255}),
             yuv(over(Rgba{255, 0, 0, 128}, {255, 255, 255})));
}

TEST_F(AlphaFormats, OpaqueAlphaIsNotComposited) {
  // An RGBA picture whose alpha is all 255 fits exactly as the same picture in RGB24 does.
  auto rgba = detail::make_frame(), rgb = detail::make_frame();
  for (auto *f : {rgba.get(), rgb.get()}) {
    f->format = f == rgba.get() ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24;
    f->width = f->height = 16;
    ASSERT_GE(av_frame_get_buffer(f, 32), 0);
  }
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) {
      const uint8_t c[3] = {static_cast<uint8_t>(x * 16), static_cast<uint8_t>(y * 16), 77};
      std::memcpy(rgb->data[0] + y * rgb->linesize[0] + 3 * x, c, 3);
      std::memcpy(rgba->data[0] + y * rgba->linesize[0] + 4 * x, c, 3);
      rgba->data[0][y * rgba->linesize[0] + 4 * x + 3] = 255;
    }
  EXPECT_FALSE(detail::has_transparency(rgba.get()));
  EXPECT_FALSE(detail::has_transparency(rgb.get()));
  auto a = detail::make_yuv_frame(32, 32), b = detail::make_yuv_frame(32, 32);
  detail::FitCache ca, cb;
  detail::fit_picture(rgba.get(), Fit::kCover, Color{255, 0, 0, 255}, a.get(), ca);
  detail::fit_picture(rgb.get(), Fit::kCover, Color{255, 0, 0, 255}, b.get(), cb);
  EXPECT_FALSE(ca.flat);  // no compositing copy was made
  for (int y = 0; y < 32; ++y)
    ASSERT_EQ(std::memcmp(a->data[0] + y * a->linesize[0], b->data[0] + y * b->linesize[0], 32), 0);
  // One pixel short of opaque is enough to composite.
  rgba->data[0][5 * rgba->linesize[0] + 4 * 7 + 3] = 254;
  EXPECT_TRUE(detail::has_transparency(rgba.get()));
}

}  // namespace
}  // namespace automuse::render::test
