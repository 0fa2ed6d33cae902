// Renders small timelines and reads the MP4 back through libavformat/libavcodec: stream
// facts, duration, loudness, subtitles, transitions, clips, thumbnail and cancellation.
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "render_fixture.h"
#include "support/files.hpp"

namespace automuse::render::test {
namespace {

constexpr double kFrame = 1.0 / 30;

class RenderOutput : public RenderFixture {};

TEST_F(RenderOutput, ShortWithSpeechMusicAndThumbnail) {
  write_png(at("a.png"), 400, 300, [](int x, int y) { return Rgb{uint8_t(x), uint8_t(y), 90}; });
  // Textured, so that the motion between frames 45 and 50 is visible under coding noise.
  write_png(at("b.png"), 300, 600, [](int x, int y) {
    return Rgb{uint8_t(x * 3 / 4), uint8_t((x / 24 + y / 24) % 2 ? 40 : 100), uint8_t(y / 3)};
  });
  solid_png("c.png", {200, 120, 40});
  ASSERT_TRUE(write_speech_wav(at("voice.wav"), "Testing the automuse renderer, one two three."))
      << "espeak-ng is needed (apt-get install espeak-ng)";
  write_tone_wav(at("music.wav"), 1.3, 220, 0.4);  // shorter than the video: it must loop
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480, "fps": 30},
      "scenes": [{"image": "a.png", "duration": 1.2, "motion": "zoom_in"},
                 {"image": "b.png", "duration": 1.0, "motion": "zoom_out", "transition": "crossfade"},
                 {"image": "c.png", "duration": 1.3, "motion": "pan_left", "transition": "slide"}],
      "audio": {"voice": "voice.wav", "music": {"path": "music.wav", "volume": 0.2, "fade_out": 0.5}},
      "output": {"path": "out.mp4", "crf": 20, "thumbnail": {"path": "thumb.jpg", "time": 1.5}}})");
  ASSERT_TRUE(r.ok()) << r.error;
  StreamFacts f = probe(at("out.mp4"));
  EXPECT_TRUE(f.has_video);
  EXPECT_TRUE(f.has_audio);
  EXPECT_EQ(f.video_codec, "h264");
  EXPECT_EQ(f.audio_codec, "aac");
  EXPECT_EQ(f.pix_fmt, "yuv420p");
  EXPECT_EQ(f.width, 270);
  EXPECT_EQ(f.height, 480);
  EXPECT_NEAR(f.fps, 30.0, 1e-6);
  EXPECT_NEAR(f.video_duration, 3.5, kFrame);
  EXPECT_NEAR(f.format_duration, 3.5, kFrame);
  EXPECT_NEAR(f.audio_duration, 3.5, kFrame);
  auto frames = decode_frames(at("out.mp4"));
  EXPECT_EQ(frames.size(), 105u);
  // Integrated loudness of what was written, measured independently with ebur128.
  EXPECT_NEAR(measure_lufs(at("out.mp4")), -14.0, 1.0);
  // The thumbnail is the frame at 1.5 s.
  Picture thumb = decode_still(at("thumb.jpg"));
  ASSERT_EQ(thumb.width, 270);
  ASSERT_EQ(thumb.height, 480);
  auto diff = [&](int n) {
    return mean_abs_diff(thumb, frames[static_cast<size_t>(n)], 0, 0, 270, 480);
  };
  EXPECT_LT(diff(45), 3.0);
  EXPECT_LT(diff(45), diff(40));
  EXPECT_LT(diff(45), diff(50));
  EXPECT_GT(diff(5), 10.0);
  EXPECT_TRUE(moov_before_mdat(at("out.mp4"))) << "not +faststart";
  // Nothing else was left in the folder (no temporary files).
  for (auto &e : std::filesystem::directory_iterator(dir_))
    EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
}

TEST_F(RenderOutput, LoudnessFollowsTheTarget) {
  solid_png("a.png", {50, 60, 70});
  write_tone_wav(at("voice.wav"), 2.0, 440, 0.05);
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 2.0}],
      "audio": {"voice": "voice.wav", "target_lufs": -20}, "output": {"path": "out.mp4"}})");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_LT(r.measured_lufs, -25.0);  // the quiet tone was made louder
  EXPECT_NEAR(measure_lufs(at("out.mp4")), -20.0, 1.0);
}

TEST_F(RenderOutput, MusicLoopsDucksUnderTheVoiceAndFadesOut) {
  solid_png("a.png", {50, 60, 70});
  // Voice: a 1 kHz tone for the first second only; music: a 200 Hz tone of 0.7 s (loops).
  write_tone_wav(at("voice.wav"), 1.0, 1000, 0.3);
  write_tone_wav(at("music.wav"), 0.7, 200, 0.5);
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 4.0}],
      "audio": {"voice": "voice.wav", "normalize": false,
                "music": {"path": "music.wav", "volume": 0.4, "ducking": 0.25, "fade_out": 1.0}},
      "output": {"path": "out.mp4"}})");
  ASSERT_TRUE(r.ok()) << r.error;
  auto mono = decode_audio_mono(at("out.mp4"));
  ASSERT_NEAR(static_cast<double>(mono.size()) / 48000, 4.0, kFrame);
  const double voice = tone_amplitude(mono, 1000, 0.3, 0.9);
  const double ducked = tone_amplitude(mono, 200, 0.3, 0.9);  // under the voice
  const double free =
      tone_amplitude(mono, 200, 2.3, 2.9);  // voice gone, ducking released, no fade yet
  const double fading = tone_amplitude(mono, 200, 3.45, 3.55);  // halfway through the fade
  const double end = tone_amplitude(mono, 200, 3.95, 4.0);
  EXPECT_NEAR(voice, 0.3, 0.05);
  EXPECT_NEAR(free, 0.5 * 0.4, 0.03);  // looped music at its volume
  EXPECT_NEAR(ducked / free, 0.25, 0.05);
  EXPECT_NEAR(fading / free, 0.5, 0.12);
  EXPECT_LT(end / free, 0.1);
  EXPECT_LT(tone_amplitude(mono, 1000, 2.3, 2.9), 0.01);  // the voice really stopped
}

TEST_F(RenderOutput, SubtitlesAreBurnedInAtTheirTime) {
  solid_png("grey.png", {110, 110, 110});
  const std::string base = R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "grey.png", "duration": 3.0, "motion": "none"}],
      "output": {"path": "OUT", "crf": 12})";
  std::string plain = base;
  plain.replace(plain.find("OUT"), 3, "plain.mp4");
  std::string subbed = base;
  subbed.replace(subbed.find("OUT"), 3, "subs.mp4");
  subbed += (R"(, "subtitles": {"words": [
      {"text": "HELLO", "start": 1.0, "end": 1.5}, {"text": "WORLD", "start": 1.5, "end": 2.0}],
      "style": {"size": 28}})");
  subbed += "}";
  plain += "}";
  ASSERT_TRUE(run(plain).ok());
  RenderResult r = run(subbed);
  ASSERT_TRUE(r.ok()) << r.error;
  auto a = decode_frames(at("plain.mp4")), b = decode_frames(at("subs.mp4"));
  ASSERT_EQ(a.size(), 90u);
  ASSERT_EQ(b.size(), 90u);
  // Default position: lower third, above the bottom quarter (Shorts' overlay area).
  const int y0 = 240, y1 = 360;
  // Before the first word nothing is drawn; while it is spoken the text region changes a lot
  // and the rest of the picture does not; after the last word (plus a short hold) it is gone.
  EXPECT_LT(mean_abs_diff(a[15], b[15], 0, y0, 270, y1), 1.0);
  EXPECT_GT(mean_abs_diff(a[36], b[36], 0, y0, 270, y1), 8.0);
  EXPECT_LT(mean_abs_diff(a[36], b[36], 0, 0, 270, 200), 1.0);
  EXPECT_LT(mean_abs_diff(a[36], b[36], 0, 380, 270, 480), 1.0);
  EXPECT_GT(mean_abs_diff(a[50], b[50], 0, y0, 270, y1), 8.0);
  EXPECT_LT(mean_abs_diff(a[80], b[80], 0, y0, 270, y1), 1.0);
  // The word being spoken is highlighted (yellow by default): while HELLO is spoken the left
  // word holds yellowish pixels (low Cb) while the other word is white, then they swap.
  auto min_cb = [&](const Picture &p, int xa, int xb) {
    int m = 255;
    for (int y = y0; y < y1; ++y)
      for (int x = xa; x < xb; ++x) m = std::min(m, int(p.cb(x, y)));
    return m;
  };
  // HELLO spans about x 35..125 and WORLD 132..235 here.
  EXPECT_LT(min_cb(b[36], 0, 120), 90);
  EXPECT_GT(min_cb(b[36], 140, 270), 110);
  EXPECT_GT(min_cb(b[54], 0, 120), 110);
  EXPECT_LT(min_cb(b[54], 140, 270), 90);
}

TEST_F(RenderOutput, CrossfadeMidpointBlendsItsNeighbours) {
  solid_png("red.png", {220, 30, 30});
  solid_png("blue.png", {30, 30, 220});
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "red.png", "duration": 1.0, "motion": "none"},
                 {"image": "blue.png", "duration": 1.0, "motion": "none",
                  "transition": {"type": "crossfade", "duration": 0.6}}],
      "output": {"path": "out.mp4", "crf": 10}})");
  ASSERT_TRUE(r.ok()) << r.error;
  auto f = decode_frames(at("out.mp4"));
  ASSERT_EQ(f.size(), 60u);
  const Picture &a = f[10], &mid = f[30], &b = f[50];  // frame 30 is t = 1.0, halfway
  for (auto [x, y] : {std::pair{60, 100}, std::pair{135, 240}, std::pair{200, 400}}) {
    EXPECT_NEAR(mid.luma(x, y), (a.luma(x, y) + b.luma(x, y)) / 2.0, 3.0);
    EXPECT_NEAR(mid.cb(x, y), (a.cb(x, y) + b.cb(x, y)) / 2.0, 3.0);
    EXPECT_NEAR(mid.cr(x, y), (a.cr(x, y) + b.cr(x, y)) / 2.0, 3.0);
    EXPECT_GT(std::abs(mid.cr(x, y) - a.cr(x, y)), 20);
    EXPECT_GT(std::abs(mid.cr(x, y) - b.cr(x, y)), 20);
  }
  // Before the transition window (t < 0.7) the first scene is untouched.
  EXPECT_NEAR(f[19].cr(135, 240), a.cr(135, 240), 2.0);
}

TEST_F(RenderOutput, SlideMidpointShowsHalfOfEach) {
  solid_png("red.png", {220, 30, 30});
  solid_png("blue.png", {30, 30, 220});
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "red.png", "duration": 1.0, "motion": "none"},
                 {"image": "blue.png", "duration": 1.0, "motion": "none",
                  "transition": {"type": "slide_left", "duration": 0.6}}],
      "output": {"path": "out.mp4", "crf": 10}})");
  ASSERT_TRUE(r.ok()) << r.error;
  auto f = decode_frames(at("out.mp4"));
  ASSERT_EQ(f.size(), 60u);
  EXPECT_NEAR(f[30].cr(60, 240), f[10].cr(60, 240), 3.0);    // left half: the old scene
  EXPECT_NEAR(f[30].cr(210, 240), f[50].cr(210, 240), 3.0);  // right half: the new one
}

TEST_F(RenderOutput, KenBurnsMovesAndSixteenByNineWorks) {
  write_png(at("grid.png"), 640, 360, [](int x, int y) {
    return ((x / 40 + y / 40) % 2) ? Rgb{240, 240, 240} : Rgb{20, 20, 20};
  });
  RenderResult r = run(R"({"canvas": {"aspect": "16:9", "width": 480, "height": 270},
      "scenes": [{"image": "grid.png", "duration": 1.0, "motion": "zoom_in", "motion_strength": 0.3}],
      "output": {"path": "out.mp4", "crf": 14}})");
  ASSERT_TRUE(r.ok()) << r.error;
  StreamFacts s = probe(at("out.mp4"));
  EXPECT_EQ(s.width, 480);
  EXPECT_EQ(s.height, 270);
  EXPECT_FALSE(s.has_audio && s.audio_duration < 0.9);  // silent track of full length
  auto f = decode_frames(at("out.mp4"));
  ASSERT_EQ(f.size(), 30u);
  EXPECT_GT(mean_abs_diff(f[0], f[29], 0, 0, 480, 270), 20.0);
  EXPECT_LT(mean_abs_diff(f[14], f[15], 0, 0, 480, 270),
            mean_abs_diff(f[0], f[29], 0, 0, 480, 270));
}

TEST_F(RenderOutput, VideoClipIsTrimmedLoopedAndKeepsItsAudio) {
  // 1 s clip at 10 fps; frame i is grey level 30 + 20 i.
  write_clip(
      at("clip.mov"), 160, 120, 10, 10, [](int i) { return uint8_t(30 + 20 * i); }, true);
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"video": "clip.mov", "duration": 2.5, "audio": "keep", "trim_start": 0.2}],
      "output": {"path": "out.mp4", "crf": 10}})");
  ASSERT_TRUE(r.ok()) << r.error;
  auto f = decode_frames(at("out.mp4"));
  ASSERT_EQ(f.size(), 75u);
  // Output t = 0.3 s -> clip 0.5 s (frame 5, grey 130); the trimmed loop is 0.8 s long, so
  // t = 1.1 s and t = 1.9 s show the same clip frame again.
  EXPECT_NEAR(f[9].luma(135, 240), 130, 4);
  EXPECT_NEAR(f[33].luma(135, 240), 130, 4);
  EXPECT_NEAR(f[57].luma(135, 240), 130, 4);
  EXPECT_NEAR(f[0].luma(135, 240), 70, 4);        // trim start: clip frame 2
  EXPECT_GT(measure_lufs(at("out.mp4")), -16.0);  // the clip's tone, normalised

  RenderResult dropped = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"video": "clip.mov", "duration": 1.0}], "output": {"path": "drop.mp4"}})");
  ASSERT_TRUE(dropped.ok()) << dropped.error;
  EXPECT_LT(measure_lufs(at("drop.mp4")), -60.0);  // clip audio dropped: silence
}

// The result says the loudness of the soundtrack as written (measured independently from the
// file here) besides the mix's before normalisation and the gain between them.
TEST_F(RenderOutput, ResultSaysTheFinalLoudness) {
  solid_png("a.png", {90, 90, 90});
  write_tone_wav(at("quiet.wav"), 2.0, 440, 0.02);
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 2.0, "motion": "none"}],
      "audio": {"voice": "quiet.wav", "target_lufs": -16},
      "output": {"path": "out.mp4", "preset": "ultrafast"}})");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_LT(r.measured_lufs, -30.0);
  EXPECT_NEAR(r.final_lufs, -16.0, 0.2);
  EXPECT_NEAR(r.final_lufs, r.measured_lufs + r.applied_gain_db, 0.01);
  EXPECT_NEAR(measure_lufs(at("out.mp4")), r.final_lufs, 0.5);
}

TEST_F(RenderOutput, CancelLeavesNoFile) {
  write_png(at("a.png"), 320, 480, [](int x, int y) {
    return Rgb{uint8_t(x), uint8_t(y), uint8_t(x ^ y)};
  });
  std::atomic<bool> cancel{false};
  RenderProgress last;
  int calls = 0;
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 30.0}], "output": {"path": "out.mp4"}})",
                       [&](const RenderProgress &p) {
                         last = p;
                         ++calls;
                         if (p.frames_done >= 30) cancel = true;
                       },
                       &cancel);
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCancelled);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last.frames_total, 900);
  EXPECT_LT(last.frames_done, 900);
  EXPECT_FALSE(std::filesystem::exists(at("out.mp4")));
  size_t others = 0;
  for (auto &e : std::filesystem::directory_iterator(dir_))
    others += e.path().filename() != "a.png";
  EXPECT_EQ(others, 0u) << "a partial file was left behind";
}

// The renderer's temporary files have unpredictable names, created exclusively: links
// planted at the names it once used (".thumb.jpg.partial", ".subs.ass.PID.tmp") are not
// followed, so the files they point at stay as they were.
TEST_F(RenderOutput, PlantedLinksAtTemporaryNamesAreNotFollowed) {
  solid_png("a.png", {90, 120, 150});
  const std::string victim_text = "not the renderer's to write";
  testing::write_file(at("victim.txt"), victim_text);
  std::filesystem::create_symlink(at("victim.txt"), at(".thumb.jpg.partial"));
  std::filesystem::create_symlink(at("victim.txt"),
                                  at(".subs.ass." + std::to_string(::getpid()) + ".tmp"));
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 1.0, "motion": "none"}],
      "subtitles": {"words": [{"text": "HI", "start": 0.1, "end": 0.5}], "write_ass": "subs.ass"},
      "output": {"path": "out.mp4", "thumbnail": {"path": "thumb.jpg", "time": 0.5}}})");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(testing::read_file(at("victim.txt")) == victim_text) << "a planted link was followed";
  EXPECT_EQ(decode_still(at("thumb.jpg")).width, 270);
  EXPECT_NE(testing::read_file(at("subs.ass")).find("HI"), std::string::npos);
  EXPECT_EQ(
      std::filesystem::status(at("out.mp4")).permissions() & std::filesystem::perms::others_read,
      std::filesystem::perms::others_read)
      << "outputs stay readable by others, as before";
}

TEST_F(RenderOutput, ProgressReachesTheEnd) {
  solid_png("a.png", {90, 90, 90});
  std::vector<RenderProgress> seen;
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 1.0}], "output": {"path": "out.mp4"}})",
                       [&](const RenderProgress &p) { seen.push_back(p); });
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_FALSE(seen.empty());
  EXPECT_DOUBLE_EQ(seen.back().fraction, 1.0);
  EXPECT_EQ(seen.back().frames_done, 30);
  EXPECT_GT(seen.back().fps, 0.0);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i].frames_done, seen[i - 1].frames_done);
}

TEST_F(RenderOutput, AnimatedAssIsRenderedFrameByFrame) {
  // Frames between two event boundaries reuse the subtitle picture, unless the script animates:
  // this one fades its text in over one second.
  solid_png("grey.png", {110, 110, 110});
  std::ofstream(at("fade.ass"))
      << "[Script Info]\nScriptType: v4.00+\nPlayResX: 270\nPlayResY: 480\n\n"
         "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, "
         "Alignment\nStyle: Default,DejaVu Sans,48,&H00FFFFFF,5\n\n"
         "[Events]\nFormat: Layer, Start, End, Style, Text\n"
         "Dialogue: 0,0:00:00.00,0:00:02.00,Default,{\\fad(1000,0)}FADE\n";
  const std::string base = R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "grey.png", "duration": 1.5, "motion": "none"}],
      "output": {"path": "OUT", "crf": 12})";
  std::string plain = base, faded = base;
  plain.replace(plain.find("OUT"), 3, "plain.mp4");
  faded.replace(faded.find("OUT"), 3, "fade.mp4");
  plain += "}";
  faded += R"(, "subtitles": {"ass": "fade.ass"}})";
  ASSERT_TRUE(run(plain).ok());
  RenderResult r = run(faded);
  ASSERT_TRUE(r.ok()) << r.error;
  const auto a = decode_frames(at("plain.mp4")), b = decode_frames(at("fade.mp4"));
  ASSERT_EQ(b.size(), 45u);
  double last = -1;
  for (int f : {3, 10, 17, 24}) {  // the text grows more opaque frame after frame
    const double d = mean_abs_diff(a[f], b[f], 0, 200, 270, 280);
    EXPECT_GT(d, last + 0.5) << "frame " << f;
    last = d;
  }
}

TEST_F(RenderOutput, CpuTimeIsAccountedPerStage) {
  write_png(at("noise.png"), 270, 480, [](int x, int y) {
    return Rgb{static_cast<uint8_t>(x * y), static_cast<uint8_t>(x + 3 * y), 40};
  });
  write_tone_wav(at("tone.wav"), 2.0, 440, 0.3);
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "noise.png", "duration": 2.0, "motion": "zoom_in"}],
      "audio": {"voice": "tone.wav"},
      "subtitles": {"words": [{"text": "CPU", "start": 0.2, "end": 1.5}]},
      "output": {"path": "out.mp4"}})");
  ASSERT_TRUE(r.ok()) << r.error;
  const RenderCpu &c = r.cpu;
  // Every stage did work; the encode is what is left, so the parts add up to the total.
  for (double stage : {c.prepare, c.audio_mix, c.composition, c.audio_encode, c.video_encode})
    EXPECT_GT(stage, 0.0);
  EXPECT_NEAR(c.prepare + c.audio_mix + c.composition + c.audio_encode + c.video_encode, c.total,
              1e-6);
}

}  // namespace
}  // namespace automuse::render::test
