// A still picture held after its motion is copied into each recycled output frame only where
// the subtitles drew over it (FrameMemo): this proves no subtitle is left behind, by rendering
// losslessly with and without subtitles and comparing the frames between the words exactly.
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

}  // namespace
}  // namespace automuse::render::test
