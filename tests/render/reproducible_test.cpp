// The same timeline and settings give the same bytes, whatever the machine's load and whatever
// the process did before: a timeline longer than 16 s with the default encoder settings (thread
// count included) rendered repeatedly in one process while busy threads compete for the cores,
// and rendered by processes whose fresh memory holds different leftovers. libx264's SIMD
// macroblock-tree code reads memory it never wrote (on AVX-512 machines at least), which made
// renders of the same timeline differ; the renderer runs libx264 with cpu-independent=1
// (render/src/video_encoder.cpp, docs/timeline.md "Reproducible output").
#include <gtest/gtest.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "render_fixture.h"
#include "support/host_process.hpp"

namespace automuse::render::test {
namespace {

std::string file_bytes(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Threads that keep the cores busy (and the allocator churning) while they live.
class BusyLoops {
 public:
  explicit BusyLoops(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back([this] {
        std::vector<std::vector<unsigned char>> held(8);
        for (size_t k = 0; !stop_.load(std::memory_order_relaxed); ++k)
          held[k % held.size()].assign(64 * 1024 + (k % 7) * 4096, static_cast<unsigned char>(k));
      });
  }
  ~BusyLoops() {
    stop_ = true;
    for (auto &t : threads_) t.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Makes the blocks the heap hands out hold `pattern` where nobody wrote, as reused memory holds
// leftovers in a long-running process; 0 turns that off (glibc's default).
void fill_fresh_blocks_with(unsigned char pattern) {
#if defined(M_PERTURB)
  mallopt(M_PERTURB, pattern ? pattern ^ 0xff : 0);
#else
  (void)pattern;
#endif
}

// Runs the command line renderer on `timeline` with MALLOC_PERTURB_=`perturb` (glibc then fills
// the blocks it hands out with perturb ^ 0xff) and returns the file's bytes.
std::string render_in_a_child(const std::filesystem::path &timeline, int perturb,
                              const std::filesystem::path &out) {
  using automuse::testing::shell_quote;
  const std::string command = "MALLOC_PERTURB_=" + std::to_string(perturb) + " " +
                              shell_quote(AUTOMUSE_RENDER_CLI) + " -q " +
                              shell_quote(timeline.string()) + " -o " + shell_quote(out.string());
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return file_bytes(out);
}

// The number of in-process renders: 3 in the suite, more with AUTOMUSE_REPRODUCIBLE_RENDERS.
int render_count() {
  const char *v = std::getenv("AUTOMUSE_REPRODUCIBLE_RENDERS");
  return v ? std::max(2, std::atoi(v)) : 3;
}

class Reproducible : public RenderFixture {
 protected:
  // Writes the inputs and returns the timeline: default preset, CRF and thread count; 17 s at
  // 30 fps of still pictures with motion, a crossfade, a slide, subtitles and music.
  std::string make_timeline() {
    write_png(at("a.png"), 320, 480, [](int x, int y) {
      return Rgb{static_cast<uint8_t>(x * 5 + y), static_cast<uint8_t>(y * 3 ^ x),
                 static_cast<uint8_t>(x * y)};
    });
    write_png(at("b.png"), 480, 320, [](int x, int y) {
      return Rgb{static_cast<uint8_t>((x / 16 + y / 16) % 2 ? 230 : 20), static_cast<uint8_t>(y),
                 static_cast<uint8_t>(255 - x / 2)};
    });
    write_tone_wav(at("music.wav"), 6.0, 330.0, 0.3);
    std::string words;
    for (int i = 0; i < 40; ++i) {
      const double start = 0.2 + i * 0.42;
      words += std::string(i ? "," : "") + R"({"text": "word)" + std::to_string(i) +
               R"(", "start": )" + std::to_string(start) + R"(, "end": )" +
               std::to_string(start + 0.35) + "}";
    }
    return R"({"canvas": {"width": 160, "height": 288},
        "scenes": [{"image": "a.png", "duration": 6},
                   {"image": "b.png", "duration": 5.5, "motion": "pan_left",
                    "transition": "crossfade"},
                   {"image": "a.png", "duration": 5.5, "motion": "zoom_out", "motion_time": 2,
                    "transition": "slide_up"}],
        "audio": {"music": "music.wav"},
        "subtitles": {"words": [)" +
           words + R"(]},
        "output": {"path": "out.mp4"}})";
  }
};

TEST_F(Reproducible, SameTimelineGivesTheSameBytesUnderLoad) {
  const Timeline t = parse(make_timeline());
  std::string first;
  BusyLoops load(2);
  for (int i = 0; i < render_count(); ++i) {
    fill_fresh_blocks_with(static_cast<unsigned char>(1 + i * 37 % 250));
    RenderOptions options;
    options.output_override = at("out" + std::to_string(i) + ".mp4");
    RenderResult r = render(t, options, nullptr, nullptr);
    fill_fresh_blocks_with(0);
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.frames, 510);
    const std::string bytes = file_bytes(*options.output_override);
    ASSERT_GT(bytes.size(), 10000u);
    if (i == 0)
      first = bytes;
    else
      ASSERT_TRUE(bytes == first) << "render " << i << " differs from the first";
  }
}

// Processes whose fresh memory holds zeros, 0xfe and 0xfc render the same bytes. Without
// cpu-independent=1, on an AVX-512 machine, 0xfe gave another file.
TEST_F(Reproducible, LeftoversInFreshMemoryDoNotReachTheFile) {
  const auto timeline = at("timeline.json");
  std::ofstream(timeline) << make_timeline();
  const std::string zeros = render_in_a_child(timeline, 0, at("zeros.mp4"));
  ASSERT_GT(zeros.size(), 10000u);
  EXPECT_TRUE(render_in_a_child(timeline, 1, at("fe.mp4")) == zeros) << "0xfe leftovers differ";
  EXPECT_TRUE(render_in_a_child(timeline, 3, at("fc.mp4")) == zeros) << "0xfc leftovers differ";
}

}  // namespace
}  // namespace automuse::render::test
