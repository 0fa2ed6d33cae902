// A render's outputs (the video, its thumbnail, the subtitles.write_ass copy) appear together
// when it succeeds; a render cancelled or failing after its inputs were prepared creates or
// changes none of them and leaves no temporary; `automuse-render --check --write-ass` still
// writes the ASS file (and only when the timeline is valid).
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include "render_fixture.h"
#include "support/files.hpp"
#include "support/host_process.hpp"

namespace automuse::render::test {
namespace {

namespace fs = std::filesystem;

class AtomicOutcome : public RenderFixture {
 protected:
  void SetUp() override {
    RenderFixture::SetUp();
    solid_png("a.png", {40, 90, 160});
    testing::write_file(at("timeline.json"), kTimeline);
  }
  // 1 s at 30 fps with subtitles copied to subs.ass and a thumbnail.
  static constexpr const char *kTimeline = R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 1.0, "motion": "zoom_in"}],
      "subtitles": {"words": [{"text": "HELLO", "start": 0.1, "end": 0.6}], "write_ass": "subs.ass"},
      "output": {"path": "out.mp4", "preset": "ultrafast",
                 "thumbnail": {"path": "thumb.png", "time": 0.5}}})";

  // The names in the folder.
  std::set<std::string> names() const {
    std::set<std::string> n;
    for (const auto &e : fs::directory_iterator(dir_)) n.insert(e.path().filename().string());
    return n;
  }
  // Files at every target, to see that a failed render leaves them as they were.
  void plant_old_outputs() {
    testing::write_file(at("subs.ass"), "old script");
    testing::write_file(at("thumb.png"), "old thumbnail");
    testing::write_file(at("out.mp4"), "old video");
  }
  void expect_old_outputs() {
    EXPECT_EQ(testing::read_file(at("subs.ass")), "old script");
    EXPECT_EQ(testing::read_file(at("thumb.png")), "old thumbnail");
    EXPECT_EQ(testing::read_file(at("out.mp4")), "old video");
  }
  const std::set<std::string> inputs_ = {"a.png", "timeline.json"};
  const std::set<std::string> inputs_and_old_ = {"a.png", "timeline.json", "subs.ass", "thumb.png",
                                                 "out.mp4"};

  RenderResult cancelled_after_a_frame() {
    std::atomic<bool> cancel{false};
    int64_t frames_seen = 0;
    RenderResult r = run(
        kTimeline,
        [&](const RenderProgress &p) {
          frames_seen = p.frames_done;
          cancel = true;  // the first report comes after the first frame is encoded
        },
        &cancel);
    EXPECT_GE(frames_seen, 1) << "cancelled before encoding started";
    EXPECT_LT(frames_seen, 30);
    return r;
  }
  RenderResult encoder_fails() {
    RenderOptions options;
    options.debug_fail_encoders = {"libx264"};
    return render(parse(kTimeline), options, nullptr, nullptr);
  }
};

TEST_F(AtomicOutcome, SuccessWritesAllThreeAndNoTemporary) {
  plant_old_outputs();
  RenderResult r = run(kTimeline);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(names(), inputs_and_old_) << "a temporary was left behind";
  EXPECT_EQ(probe(at("out.mp4")).video_frames, 30);
  EXPECT_EQ(decode_still(at("thumb.png")).width, 270);
  EXPECT_NE(testing::read_file(at("subs.ass")).find("HELLO"), std::string::npos);
  ASSERT_TRUE(r.thumbnail);
  EXPECT_EQ(*r.thumbnail, at("thumb.png"));
}

TEST_F(AtomicOutcome, CancelLeavesNoOutputAndNoTemporary) {
  RenderResult r = cancelled_after_a_frame();
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCancelled) << r.error;
  EXPECT_EQ(names(), inputs_);
  EXPECT_FALSE(r.thumbnail);
}

TEST_F(AtomicOutcome, CancelLeavesEarlierOutputsAsTheyWere) {
  plant_old_outputs();
  RenderResult r = cancelled_after_a_frame();
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCancelled) << r.error;
  EXPECT_EQ(names(), inputs_and_old_);
  expect_old_outputs();
}

TEST_F(AtomicOutcome, EncoderFailureLeavesNoOutputAndNoTemporary) {
  RenderResult r = encoder_fails();
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCodec) << r.error;
  EXPECT_EQ(names(), inputs_);
}

TEST_F(AtomicOutcome, EncoderFailureLeavesEarlierOutputsAsTheyWere) {
  plant_old_outputs();
  RenderResult r = encoder_fails();
  EXPECT_EQ(r.error_kind, RenderErrorKind::kCodec) << r.error;
  EXPECT_EQ(names(), inputs_and_old_);
  expect_old_outputs();
}

// A file's target that is a folder is found before encoding, not at the last rename.
TEST_F(AtomicOutcome, ATargetThatIsAFolderIsAnInvalidTimeline) {
  fs::create_directory(at("subs.ass"));
  RenderResult r = run(kTimeline);
  EXPECT_EQ(r.error_kind, RenderErrorKind::kInvalidTimeline);
  EXPECT_EQ(r.error, "subtitles.write_ass: is a folder: " + at("subs.ass").string());
  EXPECT_EQ(names(), (std::set<std::string>{"a.png", "timeline.json", "subs.ass"}));
}

// `--check --write-ass PATH` writes the script without rendering (its documented use), and
// writes nothing when the timeline is not valid.
TEST_F(AtomicOutcome, CheckStillWritesTheAss) {
  using testing::shell_quote;
  const std::string cli = shell_quote(AUTOMUSE_RENDER_CLI);
  const std::string check = cli + " --check " + shell_quote(at("timeline.json").string()) +
                            " --write-ass " + shell_quote(at("checked.ass").string()) + " 2>" +
                            shell_quote(at("stderr.txt").string());
  ASSERT_EQ(std::system(check.c_str()), 0) << testing::read_file(at("stderr.txt"));
  EXPECT_NE(testing::read_file(at("checked.ass")).find("HELLO"), std::string::npos);
  EXPECT_FALSE(fs::exists(at("out.mp4")));
  EXPECT_FALSE(fs::exists(at("thumb.png")));
  fs::remove(at("checked.ass"));
  fs::remove(at("stderr.txt"));

  std::string bad = kTimeline;
  bad.replace(bad.find("a.png"), 5, "missing.png");
  testing::write_file(at("timeline.json"), bad);
  EXPECT_NE(std::system(check.c_str()), 0);
  EXPECT_FALSE(fs::exists(at("checked.ass")));
  fs::remove(at("stderr.txt"));
  EXPECT_EQ(names(), inputs_);
}

}  // namespace
}  // namespace automuse::render::test
