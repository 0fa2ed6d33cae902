// A still picture held after its motion is copied into each recycled output frame only where
// the subtitles drew over it (FrameMemo): this proves no subtitle is left behind, by rendering
// losslessly with and without subtitles and comparing the frames between the words exactly.
// And when the motion ends: `motion_time` counts from the start of the scene's incoming
// transition, as docs/timeline.md says.
#include <gtest/gtest.h>

#include "render_fixture.h"

namespace automuse::render::test {
namespace {

using HeldPicture = RenderFixture;

bool same_picture(const Picture &a, const Picture &b) {
  return a.width == b.width && a.height == b.height && a.y == b.y && a.u == b.u && a.v == b.v;
}

TEST_F(HeldPicture, SubtitlesLeaveNothingBehindOnTheKeptPicture) {
  // Texture everywhere, so a stale pixel of any plane shows.
  write_png(at("texture.png"), 270, 480, [](int x, int y) {
    return Rgb{static_cast<uint8_t>(x * 7 + y), static_cast<uint8_t>(y * 3),
               static_cast<uint8_t>(x ^ y)};
  });
  // The zoom ends at 0.4 s; from then on the picture is kept. Words of different lengths (so
  // the drawn rectangles differ) with pauses of more than a second between them, which end
  // each subtitle card 0.25 s after its word.
  const std::string base = R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "texture.png", "duration": 5.0, "motion": "zoom_in",
                  "motion_strength": 0.1, "motion_time": 0.4}],
      "output": {"path": "OUT", "crf": 0, "preset": "ultrafast"})";
  std::string plain = base, subbed = base;
  plain.replace(plain.find("OUT"), 3, "plain.mp4");
  subbed.replace(subbed.find("OUT"), 3, "subs.mp4");
  plain += "}";
  subbed += R"(, "subtitles": {"words": [
      {"text": "ONE", "start": 0.6, "end": 0.9},
      {"text": "TWENTY-TWO", "start": 2.2, "end": 2.5},
      {"text": "III", "start": 3.8, "end": 4.1}], "style": {"size": 40}}})";
  ASSERT_TRUE(run(plain).ok());
  RenderResult r = run(subbed);
  ASSERT_TRUE(r.ok()) << r.error;
  const auto a = decode_frames(at("plain.mp4")), b = decode_frames(at("subs.mp4"));
  ASSERT_EQ(a.size(), 150u);
  ASSERT_EQ(b.size(), 150u);
  // Each word is drawn on the kept picture...
  for (int f : {22, 70, 118}) EXPECT_FALSE(same_picture(a[f], b[f])) << "frame " << f;
  // ...and between the words every frame equals the render without subtitles, to the bit.
  for (int f = 36; f < 66; ++f) EXPECT_TRUE(same_picture(a[f], b[f])) << "frame " << f;
  for (int f = 84; f < 114; ++f) EXPECT_TRUE(same_picture(a[f], b[f])) << "frame " << f;
  for (int f = 132; f < 150; ++f) EXPECT_TRUE(same_picture(a[f], b[f])) << "frame " << f;
}

TEST_F(HeldPicture, MotionTimeCountsFromTheIncomingTransition) {
  write_png(at("texture.png"), 270, 480, [](int x, int y) {
    return Rgb{static_cast<uint8_t>(x * 7 + y), static_cast<uint8_t>(y * 3),
               static_cast<uint8_t>(x ^ y)};
  });
  solid_png("grey.png", {100, 100, 100});
  // Scene 1 starts at 1.0 s; its 1 s crossfade shows it from 0.5 s and ends at 1.5 s. With a
  // motion_time of 0.8 s its zoom ends at 1.3 s (it would end at 1.8 s counted from the
  // scene's start); with 1.5 s at 2.0 s.
  auto render_with = [&](const std::string &motion_time, const std::string &out) {
    RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
        "scenes": [{"image": "grey.png", "duration": 1.0, "motion": "none"},
                   {"image": "texture.png", "duration": 2.0, "motion": "zoom_in",
                    "motion_strength": 0.2, "motion_time": )" +
                         motion_time + R"(, "transition": {"type": "crossfade", "duration": 1.0}}],
        "output": {"path": ")" +
                         out + R"(", "crf": 0, "preset": "ultrafast"}})");
    EXPECT_TRUE(r.ok()) << r.error;
    return decode_frames(at(out));
  };
  const auto early = render_with("0.8", "early.mp4"), late = render_with("1.5", "late.mp4");
  ASSERT_EQ(early.size(), 90u);
  ASSERT_EQ(late.size(), 90u);
  // From the end of the crossfade (frame 45) the first holds still; the second still zooms.
  for (int f = 46; f < 60; ++f) {
    EXPECT_TRUE(same_picture(early[f], early[45])) << "frame " << f;
    EXPECT_FALSE(same_picture(late[f], late[f - 1])) << "frame " << f;
  }
}

}  // namespace
}  // namespace automuse::render::test
