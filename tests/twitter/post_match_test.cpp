// tests/twitter/post_match_test.cpp — a post read back from X (links as t.co, a media link
// appended, &, < and > as entities) matches the text that was sent, and only that text.
#include "post_match.hpp"

#include <gtest/gtest.h>

using twitter::PostLink;
using twitter::RemotePost;
using twitter::same_post;
using twitter::text_as_written;

TEST(PostMatch, TcoLinksAreComparedByTheirExpandedForm) {
  const std::string sent =
      "New Short: three hearts 🐙 https://youtube.com/shorts/abc123XYZ_- #ocean";
  RemotePost read{"1",
                  "New Short: three hearts 🐙 https://t.co/Ab12Cd34Ef #ocean",
                  {PostLink{"https://t.co/Ab12Cd34Ef", "https://youtube.com/shorts/abc123XYZ_-"}}};
  EXPECT_EQ(text_as_written(read), sent);
  EXPECT_TRUE(same_post(sent, read));
  // The same words with another link are another post.
  read.links[0].expanded_url = "https://youtube.com/shorts/other";
  EXPECT_FALSE(same_post(sent, read));
  // Unexpanded, the t.co text never equals what was sent.
  read.links.clear();
  EXPECT_FALSE(same_post(sent, read));
}

TEST(PostMatch, TheMediaLinkXAppendsIsNotPartOfTheText) {
  RemotePost read{
      "2",
      "Watch this https://t.co/Zz99Yy88Xx",
      {PostLink{"https://t.co/Zz99Yy88Xx", "https://x.com/cook/status/2/video/1", true}}};
  EXPECT_EQ(text_as_written(read), "Watch this");
  EXPECT_TRUE(same_post("Watch this", read));
}

TEST(PostMatch, EntitiesNormalisationAndBareLinks) {
  RemotePost read{"3",
                  "Salt &amp; pepper &lt;3 https://t.co/Q1w2E3r4T5 ",
                  {PostLink{"https://t.co/Q1w2E3r4T5", "http://example.com/"}}};
  EXPECT_TRUE(same_post("Salt & pepper <3 example.com", read));
  EXPECT_TRUE(same_post("  Salt & pepper <3 https://example.com\n", read));
  EXPECT_FALSE(same_post("Salt & pepper <3 example.org", read));
  // Composed and decomposed forms are one text.
  RemotePost cafe{"4", "Cafe\xCC\x81", {}};
  EXPECT_TRUE(same_post("Caf\xC3\xA9", cafe));
}

TEST(PostMatch, SeveralLinksEachExpanded) {
  RemotePost read{"5",
                  "https://t.co/AAAAAAAAAA and https://t.co/BBBBBBBBBB",
                  {PostLink{"https://t.co/AAAAAAAAAA", "https://a.example/x"},
                   PostLink{"https://t.co/BBBBBBBBBB", "https://b.example/y?q=1"}}};
  EXPECT_TRUE(same_post("https://a.example/x and https://b.example/y?q=1", read));
  EXPECT_FALSE(same_post("https://b.example/y?q=1 and https://a.example/x", read));
}
