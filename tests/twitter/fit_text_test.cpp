// tests/twitter/fit_text_test.cpp — the last-resort cut: at a word boundary, never inside a
// URL, result within the limit.
#include "fit_text.hpp"

#include <gtest/gtest.h>

#include "weighted_length.hpp"

using twitter::cut_to_fit;
using twitter::weighted_length;

TEST(CutToFit, ShortTextIsOnlyTrimmed) {
  EXPECT_EQ(cut_to_fit("  hello world \n", 280), "hello world");
}

TEST(CutToFit, CutsAtTheLastFittingSpace) {
  EXPECT_EQ(cut_to_fit("one two three four", 13), "one two three");
  EXPECT_EQ(cut_to_fit("one two three, four", 16), "one two three");
}

TEST(CutToFit, NeverInsideAUrl) {
  // The URL weighs 23 wherever it is cut, so cutting inside it would gain nothing and break
  // the link: the cut falls before it.
  const std::string text = "Read this https://example.com/a%20b/c?d=e now please";
  ASSERT_EQ(weighted_length(text), 10 + 23 + 11);
  std::string cut = cut_to_fit(text, 35);
  EXPECT_EQ(cut, "Read this https://example.com/a%20b/c?d=e");
  EXPECT_EQ(weighted_length(cut), 33);
  EXPECT_EQ(cut_to_fit(text, 32), "Read this");
}

TEST(CutToFit, CjkWeighsTwo) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += (i % 10 == 9) ? " " : "中";
  std::string cut = cut_to_fit(text, 280);
  EXPECT_LE(weighted_length(cut), 280);
  EXPECT_GT(weighted_length(cut), 260);
  EXPECT_NE(cut.back(), ' ');
}

TEST(CutToFit, OneLongWordIsCutBetweenGraphemes) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "👍🏽";
  std::string cut = cut_to_fit(text, 280);
  EXPECT_EQ(weighted_length(cut), 280);
  EXPECT_EQ(cut.size(), 140 * std::string("👍🏽").size());
}
