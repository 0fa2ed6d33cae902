// tests/tiktok_fake/chunk_rules_test.cpp — TikTok's chunk arithmetic and title length as the
// fake applies them, under each reading of "MB".
#include <gtest/gtest.h>

#include "support/tiktok/tiktok_rules.hpp"

namespace automuse::testing::tiktok {
namespace {

constexpr uint64_t kMiB = 1ull << 20;

TEST(TikTokChunkRules, OfficialExampleFloorsAndTheLastChunkTakesTheRest) {
  EXPECT_EQ(chunk_plan_problem(50'000'123, 10'000'000, 5, MegaByte::safe), std::nullopt);
  EXPECT_EQ(chunk_bytes(50'000'123, 10'000'000, 5, 0), 10'000'000u);
  EXPECT_EQ(chunk_bytes(50'000'123, 10'000'000, 5, 4), 10'000'123u);
  EXPECT_NE(chunk_plan_problem(50'000'123, 10'000'000, 6, MegaByte::safe), std::nullopt)
      << "ceil is wrong";
}

TEST(TikTokChunkRules, BoundsUnderTheSafeReading) {
  const MegaByte safe = MegaByte::safe;
  EXPECT_EQ(chunk_plan_problem(4 * kMiB, 4 * kMiB, 1, safe), std::nullopt);
  EXPECT_NE(chunk_plan_problem(4 * kMiB, 2 * kMiB, 2, safe), std::nullopt) << "under 5 MiB: one";
  EXPECT_NE(chunk_plan_problem(20 * kMiB, 5 * kMiB - 1, 4, safe), std::nullopt);
  EXPECT_EQ(chunk_plan_problem(20 * kMiB, 5 * kMiB, 4, safe), std::nullopt);
  EXPECT_EQ(chunk_plan_problem(64'000'000, 64'000'000, 1, safe), std::nullopt);
  EXPECT_NE(chunk_plan_problem(64'000'001, 64'000'001, 1, safe), std::nullopt);
  EXPECT_EQ(chunk_plan_problem(191'999'999, 64'000'000, 2, safe), std::nullopt)
      << "last chunk 127,999,999 bytes";
  EXPECT_NE(chunk_plan_problem(0, 0, 1, safe), std::nullopt);
  EXPECT_NE(chunk_plan_problem(4'000'000'001, 64'000'000, 62, safe), std::nullopt);
}

TEST(TikTokChunkRules, EachReadingOfMegabyte) {
  // 5,000,000-byte chunks: a decimal MB allows them, the binary and safe readings do not.
  EXPECT_EQ(chunk_plan_problem(12'000'000, 5'000'000, 2, MegaByte::decimal), std::nullopt);
  EXPECT_NE(chunk_plan_problem(12'000'000, 5'000'000, 2, MegaByte::binary), std::nullopt);
  EXPECT_NE(chunk_plan_problem(12'000'000, 5'000'000, 2, MegaByte::safe), std::nullopt);
  // 65,000,000-byte chunks: only a binary MB allows them.
  EXPECT_EQ(chunk_plan_problem(130'000'000, 65'000'000, 2, MegaByte::binary), std::nullopt);
  EXPECT_NE(chunk_plan_problem(130'000'000, 65'000'000, 2, MegaByte::decimal), std::nullopt);
  EXPECT_NE(chunk_plan_problem(130'000'000, 65'000'000, 2, MegaByte::safe), std::nullopt);
}

TEST(TikTokChunkRules, TitlesAreCountedInUtf16Units) {
  EXPECT_EQ(utf16_units("abc"), 3u);
  EXPECT_EQ(utf16_units("\xC3\xA9\xE2\x82\xAC"), 2u);  // é €
  EXPECT_EQ(utf16_units("\xF0\x9F\x8E\xAC"), 2u);      // U+1F3AC
  EXPECT_EQ(utf16_units("\xC3"), std::nullopt);
  EXPECT_EQ(utf16_units("\x80"), std::nullopt);
}

}  // namespace
}  // namespace automuse::testing::tiktok
