// tests/images/media_probe_test.cpp — files are checked by decoding them: corrupt, truncated,
// empty and too-small files are rejected with the file named.
#include "images/media_probe.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "images/title_card.hpp"
#include "support/temp_folder.hpp"

using namespace automuse::images;
namespace fs = std::filesystem;

namespace {

void expect_rejected(const fs::path &p, const std::string &why, int min_w = 0, int min_h = 0) {
  try {
    probe_media(p, min_w, min_h);
    FAIL() << p << " was accepted";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
    std::string msg = e.what();
    EXPECT_NE(msg.find(p.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find(why), std::string::npos) << msg;
  }
}

}  // namespace

TEST(MediaProbe, AcceptsARealPngAndRejectsDamagedOnes) {
  automuse::testing::TempFolder tmp;
  fs::path good = tmp / "good.png";
  render_title_card("Probe me", good, CardOptions{320, 568, "DejaVu Sans"});
  MediaInfo info = probe_media(good, 300, 500);
  EXPECT_EQ(info.width, 320);
  EXPECT_EQ(info.height, 568);

  std::string bytes = automuse::testing::read_file(good);
  fs::path truncated = tmp / "truncated.png";
  automuse::testing::write_file(truncated, bytes.substr(0, bytes.size() / 2));
  expect_rejected(truncated, "");

  fs::path corrupt = tmp / "corrupt.png";
  std::string damaged = bytes;
  for (size_t i = 200; i < damaged.size() && i < 4000; i += 7)
    damaged[i] = static_cast<char>(~damaged[i]);
  automuse::testing::write_file(corrupt, damaged);
  expect_rejected(corrupt, "");

  fs::path junk = tmp / "junk.jpg";
  automuse::testing::write_file(junk, "<html>rate limited</html>");
  expect_rejected(junk, "");  // either "not a readable image" or "does not decode"

  fs::path empty = tmp / "empty.png";
  automuse::testing::write_file(empty, "");
  expect_rejected(empty, "empty file");

  expect_rejected(tmp / "missing.png", "no such file");
  expect_rejected(good, "too small: 320x568", 1080, 1920);
}

TEST(MediaProbe, ReadsAClip) {
  automuse::testing::TempFolder tmp;
  fs::path clip = tmp / "clip.mp4";
  std::string cmd =
      "ffmpeg -v error -y -f lavfi -i testsrc=size=270x480:rate=10 -t 1.5 "
      "-pix_fmt yuv420p " +
      clip.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  MediaInfo info = probe_media(clip, 200, 400);
  EXPECT_TRUE(info.is_video);
  EXPECT_NEAR(info.duration, 1.5, 0.15);
  EXPECT_EQ(info.width, 270);
}

// A "downloaded picture" that is an ffconcat script naming another file: FFmpeg's defaults
// open the script and report the named file's picture; it must be refused, the file named.
TEST(MediaProbe, ConcatScriptPosingAsAPictureIsRefused) {
  automuse::testing::TempFolder tmp;
  render_title_card("Real picture", tmp / "card.png", CardOptions{270, 480, "DejaVu Sans"});
  const fs::path fake = tmp / "download.jpg";
  automuse::testing::write_file(fake, "ffconcat version 1.0\nfile card.png\n");
  expect_rejected(fake, "'concat'");
}
