// FFmpeg's own messages go through the renderer's log handler (the host's logger, the CLI's
// verbosity), at the level asked for, and never straight to stderr; what FFmpeg says about an
// input that cannot be used ends that input's error instead.
#include <gtest/gtest.h>

extern "C" {
#include <libavutil/log.h>
}

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "log_bridge.h"
#include "render_fixture.h"
#include "support/files.hpp"

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

// Two broken pictures, opened concurrently: the error is the first one's, with FFmpeg's words
// about it and not those about the other; none of them reaches the handler as a line.
TEST_F(RenderLog, FfmpegsWordsAboutABrokenInputEndItsError) {
  const std::string sig("\x89PNG\r\n\x1a\n", 8);
  testing::write_file(at("zeros.png"), sig + std::string(50, '\0'));  // "chunk too big"
  // A valid header, then picture data that does not inflate.
  testing::write_file(at("inflate.png"), sig +
                                             std::string("\0\0\0\x0dIHDR\0\0\0\x40\0\0\0\x40"
                                                         "\x08\x02\0\0\0\x25\x0b\xe6\x89",
                                                         25) +
                                             std::string("\0\0\0\x08IDATnot zlib\0\0\0\0", 20));
  listen(LogLevel::kWarning);
  Timeline t = parse(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "zeros.png", "duration": 1}, {"image": "inflate.png", "duration": 1}],
      "output": {"path": "out.mp4"}})");
  auto e = validate_timeline(t);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path, "scenes[0].image");
  EXPECT_EQ(e->message.rfind("cannot decode " + at("zeros.png").string() + ": ", 0), 0u)
      << e->message;
  const size_t detail = e->message.find(" (FFmpeg: ");
  ASSERT_NE(detail, std::string::npos) << e->message;
  EXPECT_EQ(e->message.back(), ')');
  EXPECT_EQ(e->message.find("inflate"), std::string::npos) << "another input's words";
  EXPECT_EQ(e->message.find("@ 0x"), std::string::npos) << e->message;
  EXPECT_EQ(count("[png @", LogLevel::kError) + count("[png @", LogLevel::kWarning), 0u);
}

// A clip whose first picture is damaged still decodes (FFmpeg conceals the damage): the input
// is fine, and what FFmpeg said about it reaches the handler once preparing is over, from the
// thread that prepared, not from the one that opened it meanwhile.
TEST_F(RenderLog, FfmpegsWordsAboutAUsableInputArePassedOnAfterPreparing) {
  write_clip(
      at("clip.mov"), 64, 64, 10, 10, [](int i) { return static_cast<uint8_t>(20 * i); }, false);
  std::string bytes = testing::read_file(at("clip.mov"));
  const size_t mdat = bytes.find("mdat");
  ASSERT_NE(mdat, std::string::npos);
  ASSERT_LT(mdat + 200, bytes.size());
  bytes.replace(mdat + 34, 170, std::string(170, '\xff'));  // inside the first picture
  testing::write_file(at("clip.mov"), bytes);
  std::vector<std::thread::id> threads;
  set_log_handler(
      [this, &threads](LogLevel l, std::string_view m) {
        std::lock_guard lock(mu_);
        got_.emplace_back(l, std::string(m));
        if (m.find("[mpeg4 @") != std::string_view::npos)
          threads.push_back(std::this_thread::get_id());
      },
      LogLevel::kWarning);
  Timeline t = parse(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"video": "clip.mov", "duration": 1}], "output": {"path": "out.mp4"}})");
  auto e = validate_timeline(t);
  ASSERT_FALSE(e) << e->to_string();
  std::lock_guard lock(mu_);
  ASSERT_FALSE(threads.empty()) << "the damage was not reported";
  for (auto id : threads) EXPECT_EQ(id, std::this_thread::get_id());
}

// The capture behind it: per thread, and what was kept is delivered later on request.
TEST_F(RenderLog, CapturedLinesStayOnTheirThreadUntilPassedOn) {
  listen(LogLevel::kWarning);
  detail::install_log_bridge();
  detail::LogLines kept[2];
  std::thread threads[2];
  for (int i = 0; i < 2; ++i)
    threads[i] = std::thread([i, &kept] {
      detail::LogCapture capture;
      av_log(nullptr, AV_LOG_WARNING, "from thread %d\n", i);
      kept[i] = capture.release();
      av_log(nullptr, AV_LOG_WARNING, "after the capture %d\n", i);
    });
  for (auto &t : threads) t.join();
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(kept[i].size(), 1u);
    EXPECT_EQ(kept[i][0].second, "from thread " + std::to_string(i));
    EXPECT_EQ(count("after the capture " + std::to_string(i), LogLevel::kWarning), 1u);
  }
  EXPECT_EQ(count("from thread", LogLevel::kWarning), 0u);
  EXPECT_EQ(detail::ffmpeg_detail(kept[0]), " (FFmpeg: from thread 0)");
  detail::log_lines(kept[0]);
  detail::log_lines(kept[1]);
  EXPECT_EQ(count("from thread", LogLevel::kWarning), 2u);
}

}  // namespace
}  // namespace automuse::render::test
