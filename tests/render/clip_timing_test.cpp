// A video clip plays from its trim start at the moment it first shows (the start of its
// incoming transition), continuously through the scene and its outgoing transition, looping;
// its kept sound follows the picture. The clip's frames carry their number as a grey level,
// so each output frame says which clip frame it shows.
#include <gtest/gtest.h>

#include <cmath>

#include "render_fixture.h"

namespace automuse::render::test {
namespace {

constexpr int kFps = 20;  // the clip's and the output's
constexpr int kW = 96, kH = 160;
constexpr int kClipFrames = 20;  // 1 s, looped

uint8_t grey_of(int clip_frame) {
  return static_cast<uint8_t>(20 + 9 * clip_frame);
}

// Scene 0: black 1.0 s; scene 1: the clip for 1.6 s, slid in from the right over 0.4 s;
// scene 2: white 0.6 s, slid in the same way. The clip shows from 0.8 s (half the incoming
// transition before its start at 1.0 s) to 2.8 s (half the outgoing one after its end at
// 2.6 s): output frames 16 to 55.
constexpr int kShownFrom = 16, kShownUntil = 56;
constexpr const char *kTimeline = R"({"canvas": {"width": 96, "height": 160, "fps": 20},
    "scenes": [{"image": "black.png", "duration": 1.0, "motion": "none"},
               {"video": "clip.mov", "duration": 1.6, "audio": "keep",
                "transition": {"type": "slide_left", "duration": 0.4}},
               {"image": "white.png", "duration": 0.6, "motion": "none",
                "transition": {"type": "slide_left", "duration": 0.4}}],
    "audio": {"normalize": false},
    "output": {"path": "out.mp4", "preset": "ultrafast", "crf": 10}})";

class ClipTiming : public RenderFixture {
 protected:
  void make_inputs(const std::function<double(double)> &sound) {
    solid_png("black.png", Rgb{0, 0, 0}, kW, kH);
    solid_png("white.png", Rgb{255, 255, 255}, kW, kH);
    write_clip(at("clip.mov"), kW, kH, kFps, kClipFrames, grey_of, sound);
  }

  // The columns [x0, x1) of output frame n that show the clip: during a slide it is the
  // part entering from the right, or leaving to the left; empty when it is too thin to read
  // away from the edge.
  static std::pair<int, int> clip_columns(int n) {
    constexpr int kSlideFrames = 8, kMargin = 4;
    if (n < kShownFrom + kSlideFrames) {  // entering: the right-hand m columns
      const int m = kW * (n - kShownFrom) / kSlideFrames;
      return m > 2 * kMargin ? std::pair{kW - m + kMargin, kW} : std::pair{0, 0};
    }
    if (n >= kShownUntil - kSlideFrames) {  // leaving: all but the right-hand m columns
      const int m = kW * (n - (kShownUntil - kSlideFrames)) / kSlideFrames;
      return kW - m > 2 * kMargin ? std::pair{0, kW - m - kMargin} : std::pair{0, 0};
    }
    return {0, kW};
  }

  // The clip frame output frame n shows (nearest grey level over its clip columns), or -1.
  static int shown_clip_frame(const Picture &p, int n) {
    auto [x0, x1] = clip_columns(n);
    if (x1 <= x0) return -1;
    double sum = 0;
    for (int y = 8; y < kH - 8; ++y)
      for (int x = x0; x < x1; ++x) sum += p.luma(x, y);
    const double mean = sum / ((kH - 16) * (x1 - x0));
    const int k = static_cast<int>(std::lround((mean - grey_of(0)) / 9.0));
    return std::abs(mean - grey_of(k)) < 3.0 ? k : -2;  // -2: no clip frame's grey
  }
};

TEST_F(ClipTiming, PlaysFromItsTrimStartThroughBothTransitions) {
  make_inputs([](double) { return 0.0; });  // silent: the timeline keeps the clip's sound
  RenderResult r = run(kTimeline);
  ASSERT_TRUE(r.ok()) << r.error;
  auto frames = decode_frames(at("out.mp4"));
  ASSERT_EQ(frames.size(), 64u);
  int read = 0;
  for (int n = kShownFrom; n < kShownUntil; ++n) {
    // Clip time (n - 16) / 20 s: one clip frame per output frame, from the first, looping.
    const int expected = (n - kShownFrom) % kClipFrames;
    const int shown = shown_clip_frame(frames[static_cast<size_t>(n)], n);
    if (shown == -1) continue;  // too little of the clip on screen to read
    ++read;
    EXPECT_EQ(shown, expected) << "output frame " << n;
  }
  // Every frame but the first of each slide (nothing or a sliver of the clip shows).
  EXPECT_GE(read, kShownUntil - kShownFrom - 2);
}

TEST_F(ClipTiming, KeptSoundFollowsThePicture) {
  // Silence, then a 1 kHz burst from clip time 0.45 s (frame 9) to 0.6 s.
  make_inputs(
      [](double t) { return t >= 0.45 && t < 0.6 ? 0.5 * std::sin(2 * M_PI * 1000 * t) : 0.0; });
  RenderResult r = run(kTimeline);
  ASSERT_TRUE(r.ok()) << r.error;
  auto frames = decode_frames(at("out.mp4"));
  ASSERT_EQ(frames.size(), 64u);
  // The output frames that first show clip frame 9, on the first pass and after the loop.
  std::vector<int> burst_frames;
  for (int n = kShownFrom; n < kShownUntil; ++n)
    if (shown_clip_frame(frames[static_cast<size_t>(n)], n) == 9 &&
        shown_clip_frame(frames[static_cast<size_t>(n - 1)], n - 1) != 9)
      burst_frames.push_back(n);
  ASSERT_EQ(burst_frames, (std::vector<int>{25, 45}));

  const auto mono = decode_audio_mono(at("out.mp4"));
  double from = 0;
  for (int n : burst_frames) {
    const double picture = static_cast<double>(n) / kFps;
    const double onset = tone_onset(mono, 1000, from, 0.25);
    EXPECT_NEAR(onset, picture, 0.003) << "the burst of output frame " << n;
    // Silence before it, and the burst at its full level (outside the transitions' fades).
    EXPECT_LT(tone_amplitude(mono, 1000, picture - 0.1, picture - 0.01), 0.02);
    EXPECT_NEAR(tone_amplitude(mono, 1000, picture + 0.02, picture + 0.13), 0.5, 0.05);
    from = picture + 0.2;
  }
}

TEST_F(ClipTiming, KeptSoundFadesWithThePictureOverTransitions) {
  make_inputs([](double t) { return 0.5 * std::sin(2 * M_PI * 1000 * t); });
  RenderResult r = run(kTimeline);
  ASSERT_TRUE(r.ok()) << r.error;
  const auto mono = decode_audio_mono(at("out.mp4"));
  // Nothing before the clip shows at 0.8 s; then a linear fade in to 1.2 s, the full level
  // through the scene, a fade out from 2.4 s to 2.8 s, and nothing after.
  EXPECT_LT(tone_amplitude(mono, 1000, 0.5, 0.78), 0.005);
  EXPECT_NEAR(tone_amplitude(mono, 1000, 0.85, 0.95), 0.5 * 0.25, 0.02);
  EXPECT_NEAR(tone_amplitude(mono, 1000, 0.95, 1.05), 0.5 * 0.5, 0.02);
  EXPECT_NEAR(tone_amplitude(mono, 1000, 1.3, 2.3), 0.5, 0.02);
  EXPECT_NEAR(tone_amplitude(mono, 1000, 2.55, 2.65), 0.5 * 0.5, 0.02);
  EXPECT_LT(tone_amplitude(mono, 1000, 2.82, 3.1), 0.005);
}

}  // namespace
}  // namespace automuse::render::test
