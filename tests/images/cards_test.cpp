// tests/images/cards_test.cpp — offline title cards: rendered, written as PNG, decoded back
// and looked at: a gradient background and large light type in the middle.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "images/media_probe.hpp"
#include "images/title_card.hpp"
#include "support/temp_folder.hpp"

using namespace automuse::images;
namespace fs = std::filesystem;

namespace {

struct Looks {
  double text_share = 0;  // share of near-white pixels in the middle band
  int corner_difference = 0;
};

Looks look_at(const RgbImage &img) {
  Looks l;
  size_t white = 0, total = 0;
  for (int y = img.height / 4; y < img.height * 3 / 4; ++y)
    for (int x = 0; x < img.width; ++x) {
      const uint8_t *p = &img.pixels[(static_cast<size_t>(y) * img.width + x) * 3];
      white += p[0] > 235 && p[1] > 235 && p[2] > 235;
      ++total;
    }
  l.text_share = static_cast<double>(white) / static_cast<double>(total);
  const uint8_t *a = &img.pixels[0];
  const uint8_t *b = &img.pixels[img.pixels.size() - 3];
  l.corner_difference = std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]);
  return l;
}

}  // namespace

TEST(Cards, KeyPhraseDropsBoilerplateAndKeepsTheSubject) {
  EXPECT_EQ(key_phrase("A photo of a lighthouse on a cliff, dramatic storm, 4k"),
            "Lighthouse on a cliff");
  EXPECT_EQ(key_phrase("cinematic shot of busy Tokyo streets at night. neon"),
            "Shot of busy Tokyo streets at night");
  EXPECT_EQ(key_phrase("one two three four five six seven eight nine"),
            "One two three four five six seven");
  EXPECT_EQ(key_phrase("Москва ночью, огни"), "Москва ночью");
}

TEST(Cards, PaletteFollowsMoodAndIsStable) {
  EXPECT_EQ(palette_for("Deep ocean waves").name, "ocean");
  EXPECT_EQ(palette_for("Saving money each month").name, "gold");
  EXPECT_EQ(palette_for("zzz qqq").name, palette_for("zzz qqq").name);
}

TEST(Cards, RenderLegibleCardsForShortLongAndNonLatinPrompts) {
  const std::vector<std::string> prompts = {
      "Morning routine",
      "The surprisingly long history of how humans learned to measure time precisely across "
      "many centuries",
      "Москва ночью под снегом",                                   // Cyrillic
      "Η φιλοσοφία της καθημερινότητας",                           // Greek
      "東京の夜の街並みとネオンの光が輝く交差点の風景、雨上がり",  // Japanese, no spaces
      "一杯咖啡如何改变你的早晨",                                  // Chinese
      "서울의 밤거리 풍경",                                        // Korean
      "القهوة في الصباح",                                          // Arabic
      "Supercalifragilisticexpialidocious-extraordinarily-long-compound-word"};
  automuse::testing::TempFolder tmp;
  for (size_t i = 0; i < prompts.size(); ++i) {
    fs::path png = tmp / (std::to_string(i) + ".png");
    render_title_card(prompts[i], png, CardOptions{270, 480, "DejaVu Sans"});
    MediaInfo info = probe_media(png, 270, 480);
    EXPECT_EQ(info.codec, "png");
    EXPECT_FALSE(info.is_video);
    RgbImage img = decode_rgb(png);
    ASSERT_EQ(img.width, 270);
    ASSERT_EQ(img.height, 480);
    Looks l = look_at(img);
    EXPECT_GT(l.text_share, 0.01) << prompts[i];       // there is large light type
    EXPECT_LT(l.text_share, 0.5) << prompts[i];        // ...on a background, not a white box
    EXPECT_GT(l.corner_difference, 40) << prompts[i];  // a gradient, not a flat fill
    // Nothing is drawn in the outermost columns: the phrase fits the frame.
    for (int y = 0; y < img.height; ++y) {
      const uint8_t *left = &img.pixels[static_cast<size_t>(y) * img.width * 3];
      ASSERT_FALSE(left[0] > 235 && left[1] > 235 && left[2] > 235) << prompts[i];
    }
  }
}

namespace {

// The near-white pixels (the type; backgrounds never get that light) of a card for `text`.
std::vector<bool> type_mask(const std::string &text, const std::string &name) {
  automuse::testing::TempFolder tmp;
  fs::path png = tmp / (name + ".png");
  render_title_card(text, png, CardOptions{270, 480, "DejaVu Sans"});
  RgbImage img = decode_rgb(png);
  std::vector<bool> mask(static_cast<size_t>(img.width) * img.height);
  for (size_t i = 0; i < mask.size(); ++i)
    mask[i] = img.pixels[i * 3] > 235 && img.pixels[i * 3 + 1] > 235 && img.pixels[i * 3 + 2] > 235;
  return mask;
}

size_t differing(const std::vector<bool> &a, const std::vector<bool> &b) {
  size_t n = 0;
  for (size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

}  // namespace

TEST(Cards, NonLatinGlyphsReallyRenderNotTofu) {
  // A character no installed font has is drawn as the same box (or nothing) whatever it is;
  // two real glyphs of a script look different from each other and from that box.
  std::vector<bool> missing = type_mask("\xEE\x80\x80", "_tofu");  // U+E000, private use
  std::vector<bool> missing2 = type_mask("\xEE\x80\x81", "_tofu2");
  ASSERT_EQ(differing(missing, missing2), 0u) << "private-use characters should look alike";
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"東", "語"}, {"猫", "海"}, {"ね", "は"}, {"한", "글"}, {"Ж", "Щ"}, {"Ω", "λ"}, {"ب", "ع"}};
  for (const auto &[a, b] : pairs) {
    std::vector<bool> ma = type_mask(a, "_a"), mb = type_mask(b, "_b");
    size_t ink = std::count(ma.begin(), ma.end(), true);
    EXPECT_GT(ink, 100u) << a << " drew almost nothing";
    EXPECT_GT(differing(ma, mb), ink / 3) << a << " and " << b << " look the same (tofu?)";
    EXPECT_GT(differing(ma, missing), ink / 3) << a << " looks like a missing glyph";
  }
}

TEST(Cards, CjkPhrasesWrapBetweenCharactersAndStayLarge) {
  // 24 characters with no space: without break opportunities the type would have to shrink
  // until one line fits the width; wrapped it stays large over several lines.
  automuse::testing::TempFolder tmp;
  fs::path png = tmp / "cjk_wrap.png";
  render_title_card("東京の夜の街並みとネオンの光が輝く交差点の風景です", png,
                    CardOptions{270, 480, "DejaVu Sans"});
  RgbImage img = decode_rgb(png);
  int top = img.height, bottom = -1, left = img.width, right = -1;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      const uint8_t *p = &img.pixels[(static_cast<size_t>(y) * img.width + x) * 3];
      if (p[0] > 235 && p[1] > 235 && p[2] > 235) {
        top = std::min(top, y);
        bottom = std::max(bottom, y);
        left = std::min(left, x);
        right = std::max(right, x);
      }
    }
  ASSERT_GE(bottom, 0);
  EXPECT_GT(bottom - top, img.height / 6) << "several lines of large type";
  EXPECT_GT(right - left, img.width / 2);
  EXPECT_GT(left, 0);
  EXPECT_LT(right, img.width - 1);
}

TEST(Cards, KeyPhraseCutsCjkAtTheFirstClause) {
  EXPECT_EQ(key_phrase("東京の夜の街並み、ネオンが輝く"), "東京の夜の街並み");
  EXPECT_EQ(key_phrase("一杯咖啡。早晨"), "一杯咖啡");
}

TEST(Cards, BadSizeIsAnError) {
  automuse::testing::TempFolder tmp;
  EXPECT_THROW(render_title_card("x", tmp / "bad.png", CardOptions{10, 10, "DejaVu Sans"}),
               am::error);
}

// The card's temporary file used to be named png + ".tmp.<pid>.<counter>" and opened without
// O_EXCL: a symlink planted at one of those names redirected the write. Links are planted at
// every name the old scheme could pick in this process; none may be followed.
TEST(Cards, WriteFollowsNoLinkPlantedAtAGuessableTempName) {
  automuse::testing::TempFolder tmp;
  const fs::path png = tmp / "card.png";
  const fs::path victim = tmp / "victim";
  automuse::testing::write_file(victim, "keep");
  for (int n = 0; n < 512; ++n)
    fs::create_symlink(
        victim, png.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(n));
  render_title_card("Morning routine", png, CardOptions{270, 480, "DejaVu Sans"});
  EXPECT_TRUE(automuse::testing::read_file(victim) == "keep") << "the planted link was followed";
  EXPECT_FALSE(fs::is_symlink(png));
  EXPECT_EQ(decode_rgb(png).width, 270);
  EXPECT_EQ(fs::status(png).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}
