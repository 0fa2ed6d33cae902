// tests/twitter/weighted_length_test.cpp — the parts of X's weighted length the count table
// (weighted_length_table_test.cpp, conformance/cases.json) does not show: invalid UTF-8
// refused, URL spans as byte offsets, links X does not make, and the light ranges.
#include "weighted_length.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using twitter::find_urls;
using twitter::weighted_length;

namespace {

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

TEST(WeightedLength, HostsThatAreNoDomainAreNoLinks) {
  EXPECT_TRUE(find_urls("https://" + std::string(64, 'a') + ".com").empty());  // label > 63
  EXPECT_TRUE(find_urls("https://-bad.com").empty());
  EXPECT_TRUE(find_urls("https://bad-.com/x").empty());
  EXPECT_TRUE(find_urls("https://localhost/x").empty());
  EXPECT_EQ(find_urls("https://" + std::string(63, 'a') + ".com").size(), 1u);
  // An internationalised host is a link; a directional mark ends it.
  const std::string idn = "\u202Ahttps://例え.jp/a\u202C";
  const auto urls = find_urls(idn);
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(idn.substr(urls[0].begin, urls[0].end - urls[0].begin), "https://例え.jp/a");
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
