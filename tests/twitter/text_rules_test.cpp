// tests/twitter/text_rules_test.cpp — X's text rules as the twitter publisher offers them through
// its am_publisher table (SDK 1.4): the weighted length with X's limit and its links, a text cut
// to fit in a buffer the caller releases, invalid UTF-8 refused with a message, and an older
// caller's smaller am_text_length left alone past its end.
#include "text_rules.hpp"

#include <gtest/gtest.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/str.hpp>
#include <cstddef>
#include <string>

#include "weighted_length.hpp"

namespace {

am_text_length measured(const std::string &text, am_status expect = AM_OK) {
  am_text_length out{};
  out.struct_size = sizeof out;
  am::buffer error;
  EXPECT_EQ(twitter::publisher_text_length(nullptr, am::to_am_str(text), &out, error.out()), expect)
      << error.str();
  return out;
}

TEST(TwitterTextRules, LengthLimitAndLinks) {
  const am_text_length n = measured("Read https://example.com/a and www.test.io 中😀");
  EXPECT_EQ(n.length, 5 + 23 + 5 + 23 + 1 + 2 + 2);
  EXPECT_EQ(n.max_length, 280);
  EXPECT_EQ(n.links, 2);
  EXPECT_EQ(measured("").length, 0);
  EXPECT_EQ(measured("").links, 0);
}

TEST(TwitterTextRules, InvalidUtf8IsRefusedWithAMessage) {
  am_text_length out{};
  out.struct_size = sizeof out;
  am::buffer error;
  EXPECT_EQ(twitter::publisher_text_length(nullptr, am::to_am_str("abc\xff"), &out, error.out()),
            AM_INVALID_ARGUMENT);
  EXPECT_NE(error.str().find("UTF-8"), std::string::npos) << error.str();
  am::buffer cut;
  EXPECT_EQ(twitter::publisher_fit_text(nullptr, am::to_am_str("\xc3"), 0, cut.out(), nullptr),
            AM_INVALID_ARGUMENT);
  EXPECT_EQ(cut.size(), 0u);
}

TEST(TwitterTextRules, AnOlderSmallerResultIsFilledOnlyUpToItsSize) {
  am_text_length out{};
  out.struct_size = offsetof(am_text_length, max_length);  // knows `length` only
  out.max_length = -7;
  out.links = -7;
  EXPECT_EQ(twitter::publisher_text_length(nullptr, am::to_am_str("https://a.co"), &out, nullptr),
            AM_OK);
  EXPECT_EQ(out.length, 23);
  EXPECT_EQ(out.max_length, -7);
  EXPECT_EQ(out.links, -7);
}

TEST(TwitterTextRules, FitTextCutsCleanlyIntoACallerReleasedBuffer) {
  am::buffer cut;
  ASSERT_EQ(twitter::publisher_fit_text(nullptr, am::to_am_str("one two three, four"), 16,
                                        cut.out(), nullptr),
            AM_OK);
  EXPECT_EQ(cut.str(), "one two three");
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "word 中 ";
  ASSERT_EQ(twitter::publisher_fit_text(nullptr, am::to_am_str(long_text), 0, cut.out(), nullptr),
            AM_OK);
  EXPECT_LE(twitter::weighted_length(cut.str()), 280);  // <= 0 means X's own limit
  EXPECT_GT(twitter::weighted_length(cut.str()), 270);
  EXPECT_EQ(long_text.rfind(cut.str(), 0), 0u);  // a prefix, ending on a whole word
  EXPECT_EQ(long_text[cut.size()], ' ');
}

}  // namespace
