// FFmpeg's own messages go through the renderer's log handler (the host's logger, the CLI's
// verbosity), at the level asked for, and never straight to stderr.
#include <gtest/gtest.h>

extern "C" {
#include <libavutil/log.h>
}

#include <mutex>
#include <string>
#include <vector>

#include "render_fixture.h"

namespace automuse::render::test {
namespace {

class RenderLog : public RenderFixture {
 protected:
  void listen(LogLevel level) {
    set_log_handler(
        [this](LogLevel l, std::string_view m) {
          std::lock_guard lock(mu_);
          got_.emplace_back(l, std::string(m));
        },
        level);
  }
  void TearDown() override {
    set_log_handler(
        [](LogLevel, std::string_view m) {
          std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
        },
        LogLevel::kWarning);
    RenderFixture::TearDown();
  }
  size_t count(const std::string &needle, LogLevel level) {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (auto &[l, m] : got_) n += l == level && m.find(needle) != std::string::npos;
    return n;
  }
  bool all_at_most(LogLevel level) {
    std::lock_guard lock(mu_);
    for (auto &[l, m] : got_)
      if (static_cast<int>(l) > static_cast<int>(level)) return false;
    return true;
  }

  std::mutex mu_;
  std::vector<std::pair<LogLevel, std::string>> got_;
};

constexpr const char *kTimeline = R"({"canvas": {"width": 270, "height": 480, "fps": 30},
    "scenes": [{"image": "a.png", "duration": 0.5, "motion": "zoom_in"}],
    "output": {"path": "out.mp4"}})";

TEST_F(RenderLog, LibavMessagesReachTheHandlerNotStderr) {
  solid_png("a.png", {30, 60, 90});
  listen(LogLevel::kInfo);
  ::testing::internal::CaptureStderr();
  RenderResult r = run(kTimeline);
  const std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(err, "");
  // libx264's statistics are informational lines, each delivered whole with its prefix.
  EXPECT_GT(count("[libx264 @ ", LogLevel::kInfo), 0u);
  EXPECT_GT(count("kb/s:", LogLevel::kInfo), 0u);
  EXPECT_TRUE(all_at_most(LogLevel::kInfo));
}

TEST_F(RenderLog, TheLevelFiltersAndLinesInPartsArriveWhole) {
  solid_png("a.png", {30, 60, 90});
  listen(LogLevel::kWarning);
  ::testing::internal::CaptureStderr();
  RenderResult r = run(kTimeline);
  av_log(nullptr, AV_LOG_WARNING, "first half, ");
  av_log(nullptr, AV_LOG_WARNING, "second half\n");
  av_log(nullptr, AV_LOG_INFO, "not wanted\n");
  av_log(nullptr, AV_LOG_ERROR, "an error\n");
  const std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(err, "");
  EXPECT_EQ(count("[libx264 @ ", LogLevel::kInfo), 0u);  // below the level
  EXPECT_EQ(count("not wanted", LogLevel::kInfo), 0u);
  EXPECT_EQ(count("first half, second half", LogLevel::kWarning), 1u);
  EXPECT_EQ(count("an error", LogLevel::kError), 1u);
  EXPECT_TRUE(all_at_most(LogLevel::kWarning));
}

}  // namespace
}  // namespace automuse::render::test
