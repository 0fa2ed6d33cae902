// The H.264 encoder choice (output.encoder): `auto` on a machine without a GPU falls back to
// libx264 with one warning and every candidate's reason in the result; a candidate made to
// fail at open (RenderOptions::debug_fail_encoders) is skipped with that reason; an encoder
// asked for by name that cannot open fails the render and leaves no file; the timeline refuses
// an unknown name with the accepted list.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "render_fixture.h"

namespace automuse::render::test {
namespace {

namespace fs = std::filesystem;

constexpr const char *kHookReason = "failed to open at 270x480 (refused by the test hook)";

class Encoders : public RenderFixture {
 protected:
  void SetUp() override {
    RenderFixture::SetUp();
    solid_png("a.png", {40, 90, 160});
    set_log_handler(
        [this](LogLevel l, std::string_view m) {
          std::lock_guard lock(mu_);
          log_.emplace_back(l, std::string(m));
        },
        LogLevel::kWarning);
  }
  void TearDown() override {
    set_log_handler(
        [](LogLevel, std::string_view m) {
          std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
        },
        LogLevel::kWarning);
    RenderFixture::TearDown();
  }
  // A 0.5 s render with `encoder` ("" leaves the field out).
  RenderResult render_with(const std::string &encoder, std::vector<std::string> fail = {}) {
    const std::string field = encoder.empty() ? "" : R"(, "encoder": ")" + encoder + "\"";
    Timeline t = parse(R"({"canvas": {"width": 270, "height": 480, "fps": 30},
        "scenes": [{"image": "a.png", "duration": 0.5, "motion": "zoom_in"}],
        "output": {"path": "out.mp4", "preset": "ultrafast")" +
                       field + "}}");
    RenderOptions options;
    options.debug_fail_encoders = std::move(fail);
    return render(t, options, nullptr, nullptr);
  }
  // Every warning and error FFmpeg or the renderer logged.
  std::vector<std::string> warnings() {
    std::lock_guard lock(mu_);
    std::vector<std::string> w;
    for (auto &[l, m] : log_) w.push_back(m);
    return w;
  }
  // Nothing but the input picture in the folder: no output, no temporary.
  void expect_only_inputs() {
    for (const auto &e : fs::directory_iterator(dir_))
      EXPECT_EQ(e.path().filename(), "a.png") << "left behind: " << e.path();
  }
  void expect_h264(const RenderResult &r) {
    ASSERT_TRUE(r.ok()) << r.error;
    StreamFacts f = probe(at("out.mp4"));
    EXPECT_EQ(f.video_codec, "h264");
    EXPECT_EQ(f.width, 270);
    EXPECT_EQ(f.height, 480);
    EXPECT_EQ(f.video_frames, 15);
  }

  std::mutex mu_;
  std::vector<std::pair<LogLevel, std::string>> log_;
};

TEST_F(Encoders, DefaultIsLibx264AloneAndQuiet) {
  RenderResult r = render_with("");
  expect_h264(r);
  EXPECT_EQ(r.encoder, "libx264");
  ASSERT_EQ(r.encoder_candidates.size(), 1u);
  EXPECT_EQ(r.encoder_candidates[0].name, "libx264");
  EXPECT_TRUE(r.encoder_candidates[0].opened);
  EXPECT_EQ(r.encoder_candidates[0].reason, "");
  EXPECT_TRUE(warnings().empty()) << warnings().size() << " lines, first: " << warnings()[0];
}

TEST_F(Encoders, AutoWithoutAGpuFallsBackToLibx264SayingWhyInOneLine) {
  RenderResult r = render_with("auto");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.encoder_candidates.size(), 4u);
  if (r.encoder != "libx264")
    GTEST_SKIP() << "this machine opened " << r.encoder << ": the fallback is not reached";
  expect_h264(r);
  const char *order[] = {"h264_nvenc", "h264_vaapi", "h264_qsv", "libx264"};
  std::string expected = "encoder auto: using libx264 (";
  for (size_t i = 0; i < 4; ++i) {
    const EncoderCandidate &c = r.encoder_candidates[i];
    EXPECT_EQ(c.name, order[i]);
    EXPECT_EQ(c.opened, i == 3) << c.name;
    EXPECT_EQ(c.reason.empty(), i == 3) << c.name << ": " << c.reason;
    if (i < 3) expected += std::string(i ? "; " : "") + c.name + ": " + c.reason;
  }
  expected += ")";
  // One line, and none of FFmpeg's own lines about the missing devices.
  ASSERT_EQ(warnings().size(), 1u) << warnings().back();
  EXPECT_EQ(warnings()[0], expected);
}

TEST_F(Encoders, AutoSkipsCandidatesThatFailAtOpenWithThatReason) {
  RenderResult r = render_with("auto", {"h264_nvenc", "h264_vaapi", "h264_qsv"});
  expect_h264(r);
  EXPECT_EQ(r.encoder, "libx264");
  ASSERT_EQ(r.encoder_candidates.size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(r.encoder_candidates[i].opened);
    EXPECT_EQ(r.encoder_candidates[i].reason, kHookReason) << r.encoder_candidates[i].name;
  }
  EXPECT_TRUE(r.encoder_candidates[3].opened);
  ASSERT_EQ(warnings().size(), 1u);
  EXPECT_EQ(warnings()[0], std::string("encoder auto: using libx264 (h264_nvenc: ") + kHookReason +
                               "; h264_vaapi: " + kHookReason + "; h264_qsv: " + kHookReason + ")");
}

TEST_F(Encoders, NamedEncoderThatCannotOpenIsAnErrorAndLeavesNoFile) {
  RenderResult r = render_with("libx264", {"libx264"});
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCodec);
  EXPECT_EQ(r.error, std::string("encoder libx264: ") + kHookReason);
  ASSERT_EQ(r.encoder_candidates.size(), 1u);
  EXPECT_FALSE(r.encoder_candidates[0].opened);
  EXPECT_EQ(r.encoder, "");
  expect_only_inputs();

  // A hardware encoder asked for by name: no quiet fallback to the CPU.
  r = render_with("h264_nvenc", {"h264_nvenc"});
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCodec);
  EXPECT_EQ(r.error, std::string("encoder h264_nvenc: ") + kHookReason +
                         "; output.encoder \"auto\" falls back to libx264 on the CPU");
  ASSERT_EQ(r.encoder_candidates.size(), 1u);
  expect_only_inputs();
}

TEST_F(Encoders, NamedHardwareEncoderMissingHereNamesTheReason) {
  RenderResult r = render_with("h264_vaapi");
  if (r.ok()) GTEST_SKIP() << "this machine has VAAPI";
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCodec);
  ASSERT_EQ(r.encoder_candidates.size(), 1u);
  EXPECT_EQ(r.error, "encoder h264_vaapi: " + r.encoder_candidates[0].reason +
                         "; output.encoder \"auto\" falls back to libx264 on the CPU");
  EXPECT_FALSE(r.encoder_candidates[0].reason.empty());
  expect_only_inputs();
}

TEST_F(Encoders, AutoWithNothingOpeningIsAnError) {
  RenderResult r = render_with("auto", {"h264_nvenc", "h264_vaapi", "h264_qsv", "libx264"});
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCodec);
  EXPECT_EQ(r.error, std::string("encoder auto: no encoder could be opened (h264_nvenc: ") +
                         kHookReason + "; h264_vaapi: " + kHookReason +
                         "; h264_qsv: " + kHookReason + "; libx264: " + kHookReason + ")");
  EXPECT_EQ(r.encoder_candidates.size(), 4u);
  expect_only_inputs();
}

TEST_F(Encoders, TimelineRefusesAnUnknownEncoderWithTheAcceptedList) {
  ParseResult bad = parse_timeline(
      R"({"scenes": [{"image": "a.png"}], "output": {"path": "o.mp4", "encoder": "nvenc"}})", dir_);
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->to_string(),
            "output.encoder: unknown value \"nvenc\" (expected one of: auto, libx264, "
            "h264_nvenc, h264_vaapi, h264_qsv)");
  for (const char *name : {"auto", "libx264", "h264_nvenc", "h264_vaapi", "h264_qsv"}) {
    Timeline t =
        parse(R"({"scenes": [{"image": "a.png"}], "output": {"path": "o.mp4", "encoder": ")" +
              std::string(name) + "\"}}");
    ASSERT_TRUE(t.output.encoder) << name;
    EXPECT_EQ(encoder_name(*t.output.encoder), name);
  }
  EXPECT_FALSE(
      parse(R"({"scenes": [{"image": "a.png"}], "output": {"path": "o.mp4"}})").output.encoder);
}

}  // namespace
}  // namespace automuse::render::test
