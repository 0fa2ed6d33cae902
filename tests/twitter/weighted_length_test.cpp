// tests/twitter/weighted_length_test.cpp — X's weighted length on tricky strings: URLs, emoji
// sequences, CJK, combining marks, the light ranges and the boundaries at 280.
#include "weighted_length.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using twitter::find_urls;
using twitter::weighted_length;

namespace {

std::string repeat(const std::string &s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct Case {
  const char *name;
  std::string text;
  int weight;
};

class Weighted : public ::testing::TestWithParam<Case> {};

TEST_P(Weighted, Counts) {
  const Case &c = GetParam();
  EXPECT_EQ(weighted_length(c.text), c.weight) << c.name << ": " << c.text;
}

const Case kCases[] = {
    {"empty", "", 0},
    {"ascii", "hello", 5},
    {"ascii_280", repeat("a", 280), 280},
    {"ascii_281", repeat("a", 281), 281},
    {"cjk", "日本語", 6},
    {"cjk_140", repeat("中", 140), 280},
    {"cjk_141", repeat("中", 141), 282},
    {"mixed_cjk_boundary", repeat("a", 278) + "中", 280},
    {"mixed_cjk_over", repeat("a", 279) + "中", 281},
    {"url_alone", "https://example.com", 23},
    {"url_long_path", "see https://example.com/a/very/long/path/that/goes/on?q=1&r=2 now", 31},
    {"url_short", "http://a.co", 23},
    {"url_upper_scheme", "HTTPS://EXAMPLE.COM/X", 23},
    {"url_www", "www.example.com", 23},
    {"url_bare_known_tld", "visit example.org today", 35},
    {"url_bare_x", "x.com", 23},
    {"url_trailing_period", "Go to https://x.com.", 30},
    {"url_in_parens", "(https://example.com/a)", 25},
    {"two_urls", "https://a.com https://b.org", 47},
    {"scheme_without_host", "https://", 8},
    {"email_not_url", "me@example.com", 14},
    {"file_name_not_url", "notes.txt", 9},
    {"url_then_cjk", "https://example.com/a日本", 27},
    {"url_at_280", repeat("a", 256) + " https://example.com/" + repeat("p", 300), 280},
    {"combining_acute_nfc", "e\u0301", 1},
    {"precomposed", "\u00e9", 1},
    {"hangul_jamo_nfc", "\u1100\u1161", 2},
    {"hangul_syllables", "한국어", 6},
    {"combining_stack", "a\u0308\u0323", 3},
    {"emoji", "😀", 2},
    {"emoji_skin_tone", "👍🏽", 2},
    {"emoji_zwj_family", "👨‍👩‍👧‍👦", 2},
    {"emoji_flag", "🇫🇷", 2},
    {"emoji_keycap", "1️⃣", 2},
    {"emoji_vs16_heart", "❤️", 2},
    {"text_heart", "❤", 2},
    {"copyright_text", "©", 1},
    {"emoji_280", repeat("a", 278) + "😀", 280},
    {"emoji_281", repeat("a", 279) + "😀", 281},
    {"family_boundary", repeat("a", 278) + "👨‍👩‍👧‍👦", 280},
    {"em_dash", "—", 1},
    {"curly_quotes", "“quoted”", 8},
    {"ellipsis", "…", 2},
    {"prime", "′", 1},
    {"euro", "€", 2},
    {"cyrillic", "Привет", 6},
    {"arabic", "مرحبا", 5},
    {"devanagari", "नमस्ते", 6},
    {"zwj_alone", "\u200d", 1},
    {"ideographic_space", "\u3000", 2},
    {"fullwidth_latin", "ＡＢ", 4},
};

INSTANTIATE_TEST_SUITE_P(Strings, Weighted, ::testing::ValuesIn(kCases),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(WeightedLength, InvalidUtf8IsRefused) {
  EXPECT_THROW(weighted_length("abc\xff"), std::invalid_argument);
  EXPECT_THROW(weighted_length("\xc3"), std::invalid_argument);
}

TEST(WeightedLength, UrlSpansAreByteOffsets) {
  const std::string text = "Read https://example.com/x, then www.test.io!";
  auto urls = find_urls(text);
  ASSERT_EQ(urls.size(), 2u);
  EXPECT_EQ(text.substr(urls[0].begin, urls[0].end - urls[0].begin), "https://example.com/x");
  EXPECT_EQ(text.substr(urls[1].begin, urls[1].end - urls[1].begin), "www.test.io");
}

TEST(WeightedLength, LightRanges) {
  EXPECT_EQ(twitter::code_point_weight(U'\u10FF'), 1);
  EXPECT_EQ(twitter::code_point_weight(U'\u1100'), 2);
  EXPECT_EQ(twitter::code_point_weight(U'\u2000'), 1);
  EXPECT_EQ(twitter::code_point_weight(U'\u200D'), 1);
  EXPECT_EQ(twitter::code_point_weight(U'\u200E'), 2);
  EXPECT_EQ(twitter::code_point_weight(U'\u2010'), 1);
  EXPECT_EQ(twitter::code_point_weight(U'\u201F'), 1);
  EXPECT_EQ(twitter::code_point_weight(U'\u2020'), 2);
  EXPECT_EQ(twitter::code_point_weight(U'\u2032'), 1);
  EXPECT_EQ(twitter::code_point_weight(U'\u2037'), 1);
  EXPECT_EQ(twitter::code_point_weight(U'\u2038'), 2);
}

}  // namespace
