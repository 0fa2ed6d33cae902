// tests/images/cards_test.cpp — offline title cards: rendered, written as PNG, decoded back
// and looked at: a gradient background and large light type in the middle.
#include <gtest/gtest.h>

#include <filesystem>

#include "images/media_probe.hpp"
#include "images/title_card.hpp"

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

fs::path temp(const std::string &name) {
  return fs::temp_directory_path() / ("automuse_cards_" + std::to_string(::getpid()) + name);
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
      "Москва ночью под снегом",          // Cyrillic
      "Η φιλοσοφία της καθημερινότητας",  // Greek
      "Supercalifragilisticexpialidocious-extraordinarily-long-compound-word"};
  for (size_t i = 0; i < prompts.size(); ++i) {
    fs::path png = temp("_" + std::to_string(i) + ".png");
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
    fs::remove(png);
  }
}

TEST(Cards, BadSizeIsAnError) {
  EXPECT_THROW(render_title_card("x", temp("_bad.png"), CardOptions{10, 10, "DejaVu Sans"}),
               ImageError);
}
