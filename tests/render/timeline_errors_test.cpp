// Bad timelines: every parse and validation error names the JSON path of the bad field, and
// nothing is encoded when the input is bad.
#include <fstream>

#include "render_fixture.h"

namespace automuse::render::test {
namespace {

class TimelineErrors : public RenderFixture {
 protected:
  std::string parse_error(const std::string &json) {
    ParseResult r = parse_timeline(json, dir_);
    EXPECT_TRUE(r.error.has_value()) << "accepted: " << json;
    return r.error ? r.error->to_string() : "";
  }
  std::string validate_error(const std::string &json) {
    Timeline t = parse(json);
    auto e = validate_timeline(t);
    EXPECT_TRUE(e.has_value()) << "validated: " << json;
    return e ? e->to_string() : "";
  }
  void SetUp() override {
    RenderFixture::SetUp();
    solid_png("ok.png", {10, 200, 30});
  }
};

TEST_F(TimelineErrors, SyntaxErrorGivesLineAndColumn) {
  std::string e = parse_error("{\n  \"scenes\": [\n    {\"image\": \"a.png\",}\n  ]\n}");
  EXPECT_NE(e.find("line 3"), std::string::npos) << e;
  EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;
}

TEST_F(TimelineErrors, StructuralErrorsNameTheField) {
  EXPECT_EQ(parse_error(R"({"scenes": [], "output": {"path": "o.mp4"}})"),
            "scenes: must have at least one scene");
  EXPECT_EQ(parse_error(R"({"scenes": [{"image": "ok.png", "duration": 1}]})"),
            "output: is required");
  EXPECT_EQ(
      parse_error(
          R"({"scenes": [{"image": "ok.png", "duration": 1}, {"image": "ok.png", "duration": "x"}],
                           "output": {"path": "o.mp4"}})"),
      "scenes[1].duration: must be a number, not a string");
  EXPECT_EQ(
      parse_error(
          R"({"canvas": {"widht": 100}, "scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4"}})"),
      "canvas.widht: unknown field");
  EXPECT_EQ(
      parse_error(
          R"({"canvas": {"width": 271}, "scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4"}})"),
      "canvas.width: must be even (H.264 4:2:0)");
  EXPECT_EQ(
      parse_error(
          R"({"canvas": {"background": "red"}, "scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4"}})"),
      "canvas.background: must be a colour like \"#RRGGBB\" or \"#RRGGBBAA\", got \"red\"");
  EXPECT_EQ(
      parse_error(
          R"({"scenes": [{"image": "ok.png", "motion": "spin"}], "output": {"path": "o.mp4"}})"),
      "scenes[0].motion: unknown value \"spin\" (expected one of: none, zoom_in, zoom_out, "
      "pan_left, "
      "pan_right, pan_up, pan_down)");
  EXPECT_EQ(
      parse_error(
          R"({"scenes": [{"image": "ok.png", "video": "c.mov"}], "output": {"path": "o.mp4"}})"),
      "scenes[0]: needs exactly one of \"image\" or \"video\"");
  EXPECT_EQ(
      parse_error(R"({"scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4", "crf": 60}})"),
      "output.crf: must be between 0 and 51, got 60");
  EXPECT_EQ(parse_error(R"({"scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4"},
                           "subtitles": {"words": [{"text": "a", "start": 1, "end": 0.5}]}})"),
            "subtitles.words[0].end: is before start");
  EXPECT_EQ(
      parse_error(
          R"({"scenes": [{"image": "ok.png", "transition": "crossfade"}], "output": {"path": "o.mp4"}})"),
      "scenes[0].transition: the first scene has no scene before it to transition from");
}

// A transition written as a plain string is reported at the field it was written in; the
// object form at its "type".
TEST_F(TimelineErrors, UnknownTransitionIsReportedWhereItWasWritten) {
  const std::string expected =
      "unknown value \"wipe\" (expected one of: cut, crossfade, slide, "
      "slide_left, slide_right, slide_up, slide_down)";
  EXPECT_EQ(parse_error(R"({"scenes": [{"image": "ok.png", "duration": 1},
                                       {"image": "ok.png", "duration": 1, "transition": "wipe"}],
                           "output": {"path": "o.mp4"}})"),
            "scenes[1].transition: " + expected);
  EXPECT_EQ(parse_error(R"({"scenes": [{"image": "ok.png", "duration": 1},
                                       {"image": "ok.png", "duration": 1,
                                        "transition": {"type": "wipe"}}],
                           "output": {"path": "o.mp4"}})"),
            "scenes[1].transition.type: " + expected);
  // The string form still means the type with its default duration.
  Timeline t = parse(R"({"scenes": [{"image": "ok.png", "duration": 1},
                                    {"image": "ok.png", "duration": 1, "transition": "slide_up"}],
                        "output": {"path": "o.mp4"}})");
  ASSERT_EQ(t.scenes.size(), 2u);
  EXPECT_EQ(t.scenes[1].transition.kind, TransitionKind::kSlideUp);
  EXPECT_EQ(t.scenes[1].transition.duration, 0.5);
}

TEST_F(TimelineErrors, AspectPresets) {
  Timeline t = parse(
      R"({"canvas": {"aspect": "16:9"}, "scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4"}})");
  EXPECT_EQ(t.canvas.width, 1920);
  EXPECT_EQ(t.canvas.height, 1080);
  EXPECT_EQ(t.canvas.fps, 30);
  Timeline s = parse(R"({"scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4"}})");
  EXPECT_EQ(s.canvas.width, 1080);
  EXPECT_EQ(s.canvas.height, 1920);
}

TEST_F(TimelineErrors, MissingAndUndecodableFilesNameTheField) {
  const std::string missing = (dir_ / "x.png").string();
  EXPECT_EQ(
      validate_error(
          R"({"scenes": [{"image": "ok.png", "duration": 1}, {"image": "ok.png", "duration": 1},
                               {"image": "x.png", "duration": 1}], "output": {"path": "o.mp4"}})"),
      "scenes[2].image: file not found: " + missing);
  std::ofstream(at("bad.png"), std::ios::binary) << "this is not a picture at all";
  std::string e = validate_error(
      R"({"scenes": [{"image": "bad.png", "duration": 1}], "output": {"path": "o.mp4"}})");
  EXPECT_EQ(e.rfind("scenes[0].image: ", 0), 0u) << e;
  EXPECT_NE(e.find((dir_ / "bad.png").string()), std::string::npos) << e;
  EXPECT_EQ(validate_error(
                R"({"scenes": [{"image": "ok.png", "duration": 1}], "audio": {"voice": "none.wav"},
                               "output": {"path": "o.mp4"}})"),
            "audio.voice: file not found: " + (dir_ / "none.wav").string());
  EXPECT_EQ(validate_error(R"({"scenes": [{"image": "ok.png", "duration": 1}],
                               "subtitles": {"ass": "subs.ass"}, "output": {"path": "o.mp4"}})"),
            "subtitles.ass: file not found: " + (dir_ / "subs.ass").string());
  EXPECT_EQ(
      validate_error(
          R"({"scenes": [{"image": "ok.png", "duration": 1}], "output": {"path": "no/such/o.mp4"}})"),
      "output.path: folder does not exist: " + (dir_ / "no/such").string());
}

TEST_F(TimelineErrors, TransitionsMustFitTheirScenes) {
  EXPECT_EQ(validate_error(R"({"scenes": [{"image": "ok.png", "duration": 1},
                               {"image": "ok.png", "duration": 1, "transition": {"type": "crossfade", "duration": 2.5}}],
                               "output": {"path": "o.mp4"}})")
                .rfind("scenes[1].transition.duration: transitions overlap", 0),
            0u);
}

TEST_F(TimelineErrors, AutoDurationsShareTheVoice) {
  write_tone_wav(at("v.wav"), 3.0, 300, 0.3);
  Timeline t = parse(
      R"({"scenes": [{"image": "ok.png"}, {"image": "ok.png", "duration": 1}, {"image": "ok.png"}],
                         "audio": {"voice": "v.wav"}, "output": {"path": "o.mp4"}})");
  ASSERT_FALSE(validate_timeline(t));
  EXPECT_NEAR(t.scenes[0].duration, 1.0, 1e-3);
  EXPECT_NEAR(t.scenes[2].duration, 1.0, 1e-3);
  EXPECT_NEAR(t.total_duration(), 3.0, 1e-3);
  EXPECT_EQ(validate_error(R"({"scenes": [{"image": "ok.png"}], "output": {"path": "o.mp4"}})"),
            "scenes[0].duration: is required when the timeline has neither a duration nor a voice");
}

// docs/timeline.md, "duration": beside a voice, the timeline's duration is what the scenes
// without one share, whatever the voice's length; each share must be at least 0.1 s.
TEST_F(TimelineErrors, ADurationBesideAVoiceWins) {
  write_tone_wav(at("v.wav"), 3.0, 300, 0.3);
  Timeline t = parse(
      R"({"scenes": [{"image": "ok.png"}, {"image": "ok.png", "duration": 1}, {"image": "ok.png"}],
          "duration": 2, "audio": {"voice": "v.wav"}, "output": {"path": "o.mp4"}})");
  ASSERT_FALSE(validate_timeline(t));
  EXPECT_NEAR(t.scenes[0].duration, 0.5, 1e-9);
  EXPECT_NEAR(t.scenes[2].duration, 0.5, 1e-9);
  EXPECT_EQ(
      validate_error(
          R"({"scenes": [{"image": "ok.png"}, {"image": "ok.png", "duration": 1}, {"image": "ok.png"}],
              "duration": 1.15, "audio": {"voice": "v.wav"}, "output": {"path": "o.mp4"}})"),
      "duration: leaves no time for the scenes without a duration");
  EXPECT_EQ(parse_error(R"({"scenes": [{"image": "ok.png", "duration": 0.01}],
                           "output": {"path": "o.mp4"}})"),
            "scenes[0].duration: must be between 0.05 and 36000, got 0.01");
}

TEST_F(TimelineErrors, RenderEncodesNothingOnBadInput) {
  RenderResult r = run(R"({"canvas": {"width": 270, "height": 480},
                           "scenes": [{"image": "ok.png", "duration": 1}, {"image": "gone.png", "duration": 1}],
                           "output": {"path": "o.mp4"}})");
  EXPECT_EQ(r.error_kind, RenderErrorKind::kInvalidTimeline);
  EXPECT_EQ(r.error, "scenes[1].image: file not found: " + (dir_ / "gone.png").string());
  size_t files = 0;
  for (auto &e : std::filesystem::directory_iterator(dir_))
    files += e.path().filename() != "ok.png";
  EXPECT_EQ(files, 0u) << "something was written";
}

}  // namespace
}  // namespace automuse::render::test
