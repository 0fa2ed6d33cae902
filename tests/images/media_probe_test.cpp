// tests/images/media_probe_test.cpp — files are checked by decoding them: corrupt, truncated,
// empty and too-small files are rejected with the file named.
#include "images/media_probe.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "images/title_card.hpp"

using namespace automuse::images;
namespace fs = std::filesystem;

namespace {

fs::path temp(const std::string &name) {
  return fs::temp_directory_path() / ("automuse_probe_" + std::to_string(::getpid()) + name);
}

std::string read_all(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_all(const fs::path &p, const std::string &bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

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
  fs::path good = temp("_good.png");
  render_title_card("Probe me", good, CardOptions{320, 568, "DejaVu Sans"});
  MediaInfo info = probe_media(good, 300, 500);
  EXPECT_EQ(info.width, 320);
  EXPECT_EQ(info.height, 568);

  std::string bytes = read_all(good);
  fs::path truncated = temp("_truncated.png");
  write_all(truncated, bytes.substr(0, bytes.size() / 2));
  expect_rejected(truncated, "");

  fs::path corrupt = temp("_corrupt.png");
  std::string damaged = bytes;
  for (size_t i = 200; i < damaged.size() && i < 4000; i += 7)
    damaged[i] = static_cast<char>(~damaged[i]);
  write_all(corrupt, damaged);
  expect_rejected(corrupt, "");

  fs::path junk = temp("_junk.jpg");
  write_all(junk, "<html>rate limited</html>");
  expect_rejected(junk, "");  // either "not a readable image" or "does not decode"

  fs::path empty = temp("_empty.png");
  write_all(empty, "");
  expect_rejected(empty, "empty file");

  expect_rejected(temp("_missing.png"), "no such file");
  expect_rejected(good, "too small: 320x568", 1080, 1920);
  for (const auto &p : {good, truncated, corrupt, junk, empty}) fs::remove(p);
}

TEST(MediaProbe, ReadsAClip) {
  fs::path clip = temp("_clip.mp4");
  std::string cmd =
      "ffmpeg -v error -y -f lavfi -i testsrc=size=270x480:rate=10 -t 1.5 "
      "-pix_fmt yuv420p " +
      clip.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  MediaInfo info = probe_media(clip, 200, 400);
  EXPECT_TRUE(info.is_video);
  EXPECT_NEAR(info.duration, 1.5, 0.15);
  EXPECT_EQ(info.width, 270);
  fs::remove(clip);
}
