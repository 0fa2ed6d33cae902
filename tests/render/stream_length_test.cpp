// Audio and video end together (within one AAC frame) for durations that are whole numbers
// of neither video nor AAC frames, and stay in step from the start with or without edit lists
// (output.edit_list: false writes an MP4 with none, for platforms that refuse them).
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>

#include "render_fixture.h"

namespace automuse::render::test {
namespace {

constexpr double kAacFrame = 1024.0 / 48000;

struct LengthCase {
  int fps;
  bool edit_list;
};
void PrintTo(const LengthCase &c, std::ostream *os) {
  *os << c.fps << " fps, edit_list " << (c.edit_list ? "true" : "false");
}

class StreamLength : public RenderFixture, public ::testing::WithParamInterface<LengthCase> {};

TEST_P(StreamLength, AudioEndsWithTheVideo) {
  const LengthCase c = GetParam();
  solid_png("a.png", Rgb{40, 90, 160}, 96, 160);
  write_tone_wav(at("music.wav"), 4.0, 440, 0.5);
  const std::string fps = std::to_string(c.fps);
  RenderResult r = run(R"({"canvas": {"width": 96, "height": 160, "fps": )" + fps + R"(},
      "scenes": [{"image": "a.png", "motion": "none"}], "duration": 2.345,
      "audio": {"music": {"path": "music.wav", "volume": 0.5}},
      "output": {"path": "out.mp4", "preset": "ultrafast", "edit_list": )" +
                       (c.edit_list ? "true" : "false") + "}}");
  ASSERT_TRUE(r.ok()) << r.error;
  // 2.345 s is 70.35 frames at 30 fps (70 made) and 58.625 at 25 (59 made); neither
  // length is a whole number of AAC frames.
  const int64_t frames = std::llround(2.345 * c.fps);
  const double video = static_cast<double>(frames) / c.fps;
  EXPECT_EQ(r.frames, frames);

  const StreamFacts s = probe(at("out.mp4"));
  EXPECT_EQ(s.video_frames, frames);
  EXPECT_NEAR(s.video_duration, video, 1e-6);
  EXPECT_NEAR(s.audio_duration, video, kAacFrame);
  const TrackTimes t = track_times(at("out.mp4"));
  EXPECT_NEAR(t.video_end, video, 1e-6);
  EXPECT_NEAR(t.audio_end, video, kAacFrame);
  // What holds in fact: to the millisecond of the movie's clock with edit lists, to the
  // sample without.
  EXPECT_NEAR(t.audio_end, video, c.edit_list ? 0.001 : 1.0 / 48000);
  EXPECT_NEAR(t.video_start, 0.0, 1e-6);
  EXPECT_NEAR(t.audio_start, 0.0, 1e-6);
  // Decoded, the sound is no longer than the last AAC frame it ends in.
  const auto mono = decode_audio_mono(at("out.mp4"));
  EXPECT_NEAR(static_cast<double>(mono.size()) / 48000, video, kAacFrame);
  EXPECT_EQ(has_movie_box(at("out.mp4"), "elst"), c.edit_list);
}

INSTANTIATE_TEST_SUITE_P(FpsAndEditList, StreamLength,
                         ::testing::Values(LengthCase{30, true}, LengthCase{25, true},
                                           LengthCase{30, false}, LengthCase{25, false}),
                         [](const ::testing::TestParamInfo<LengthCase> &i) {
                           return std::to_string(i.param.fps) + "fps" +
                                  (i.param.edit_list ? "WithEditList" : "WithoutEditList");
                         });

class EditList : public RenderFixture, public ::testing::WithParamInterface<bool> {};

// A cut from black to white at 1.0 s and a tone starting at 1.0 s: the first white frame and
// the tone's onset come out at the same time, with the default preset's B-frames (the video's
// decoding runs ahead of its presentation) and the AAC encoder's 1024 samples of priming.
TEST_P(EditList, PictureAndSoundStartTogether) {
  const bool edit_list = GetParam();
  solid_png("black.png", Rgb{0, 0, 0}, 96, 160);
  solid_png("white.png", Rgb{255, 255, 255}, 96, 160);
  write_wav(at("voice.wav"), 2.0,
            [](double t) { return t >= 1.0 ? 0.5 * std::sin(2 * M_PI * 1000 * t) : 0.0; });
  RenderResult r = run(R"({"canvas": {"width": 96, "height": 160, "fps": 30},
      "scenes": [{"image": "black.png", "duration": 1.0, "motion": "none"},
                 {"image": "white.png", "duration": 1.0, "motion": "none"}],
      "audio": {"voice": "voice.wav", "normalize": false},
      "output": {"path": "out.mp4", "edit_list": )" +
                       std::string(edit_list ? "true" : "false") + "}}");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(has_movie_box(at("out.mp4"), "elst"), edit_list);
  EXPECT_TRUE(moov_before_mdat(at("out.mp4")));
  const TrackTimes t = track_times(at("out.mp4"));
  EXPECT_NEAR(t.video_start, 0.0, 1e-6);
  EXPECT_NEAR(t.audio_start, 0.0, 1e-6);

  const auto frames = decode_frames(at("out.mp4"));
  ASSERT_EQ(frames.size(), 60u);
  EXPECT_LT(frames[29].luma(48, 80), 30);
  EXPECT_GT(frames[30].luma(48, 80), 220);
  // The decoded sound, sample by sample from the file's first: without an edit list nothing
  // is dropped, and the priming (near silence) takes the soundtrack's first 21 ms.
  const auto mono = decode_audio_mono(at("out.mp4"));
  EXPECT_NEAR(tone_onset(mono, 1000, 0.0, 0.25), 1.0, 0.003);
  EXPECT_LT(tone_amplitude(mono, 1000, 0.0, 0.95), 0.01);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithout, EditList, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &i) {
                           return i.param ? "WithEditList" : "WithoutEditList";
                         });

TEST(EditListOption, DefaultsToEditListsAndMustBeABoolean) {
  ParseResult ok = parse_timeline(
      R"({"scenes": [{"image": "a.png", "duration": 1}], "output": {"path": "o.mp4"}})", "/tmp");
  ASSERT_TRUE(ok.timeline);
  EXPECT_TRUE(ok.timeline->output.edit_list);
  ParseResult bad = parse_timeline(R"({"scenes": [{"image": "a.png", "duration": 1}],
      "output": {"path": "o.mp4", "edit_list": "no"}})",
                                   "/tmp");
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->to_string(), "output.edit_list: must be true or false, not a string");
}

}  // namespace
}  // namespace automuse::render::test
