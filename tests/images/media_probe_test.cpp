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

namespace {

// CRC-32 of PNG chunks (the zlib polynomial), so a forged header still checks out.
uint32_t png_crc(std::string_view bytes) {
  uint32_t c = 0xffffffffu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

void put_be32(std::string &s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

// A real PNG whose IHDR claims width x height (its pixel data stays the small original's).
fs::path png_claiming(const fs::path &dir, uint32_t width, uint32_t height) {
  fs::path real = dir / "real.png";
  render_title_card("Huge", real, CardOptions{64, 64, "DejaVu Sans"});
  std::string bytes = automuse::testing::read_file(real);
  // Signature (8), IHDR length (4), "IHDR" (4), width, height, 5 more bytes, CRC.
  put_be32(bytes, 16, width);
  put_be32(bytes, 20, height);
  put_be32(bytes, 29, png_crc(std::string_view(bytes).substr(12, 17)));
  fs::path forged =
      dir / ("claims-" + std::to_string(width) + "x" + std::to_string(height) + ".png");
  automuse::testing::write_file(forged, bytes);
  return forged;
}

void expect_too_many_pixels(const fs::path &file, uint64_t max_pixels, const std::string &claim) {
  try {
    probe_media(file, 0, 0, max_pixels);
    FAIL() << file << " was accepted";
  } catch (const am::error &e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT) << msg;
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("claims " + claim), std::string::npos) << msg;
    EXPECT_NE(msg.find("raise limits.media_megapixels in automuse.json"), std::string::npos) << msg;
  }
}

}  // namespace

// A header's claimed size is checked before a frame of that size is decoded or allocated:
// 12000x12000 (144 megapixels, over 500 MB of frame) fails naming the size and the setting.
// One past what FFmpeg itself accepts (100000x100000) is refused by FFmpeg before anything is
// allocated, with the file named.
TEST(MediaProbe, ClaimedDimensionsPastTheCapAreRefusedBeforeDecoding) {
  automuse::testing::TempFolder tmp;
  expect_too_many_pixels(png_claiming(tmp.path(), 12000, 12000), kDefaultMaxPixels,
                         "12000x12000 (144 megapixels), more than limits.media_megapixels (100) "
                         "allows");
  expect_rejected(png_claiming(tmp.path(), 100000, 100000), "");
}

TEST(MediaProbe, PixelCapIsTheCallersSetting) {
  automuse::testing::TempFolder tmp;
  fs::path good = tmp / "good.png";
  render_title_card("Probe me", good, CardOptions{320, 568, "DejaVu Sans"});
  expect_too_many_pixels(good, 100'000,
                         "320x568 (0.18176 megapixels), more than "
                         "limits.media_megapixels (0.1) allows");
  EXPECT_EQ(probe_media(good, 0, 0, 320 * 568).width, 320);  // exactly at the cap: fine
}
