// tests/speech/script_text_test.cpp — cleaning a script for speech keeps the shown words.
#include "speech/script_text.hpp"

#include <gtest/gtest.h>

using namespace automuse::speech;

TEST(ScriptText, KeepsWordsAsWrittenAndCleansWhatIsSpoken) {
  std::string script = "Wow 🔥🔥 check https://www.example.com/path?x=1, it's #great! @bob";
  auto words = split_script(script);
  ASSERT_EQ(words.size(), 7u);
  EXPECT_EQ(words[0].text, "Wow");
  EXPECT_EQ(words[1].text, "🔥🔥");
  EXPECT_FALSE(words[1].speaks());
  EXPECT_EQ(words[3].text, "https://www.example.com/path?x=1,");
  EXPECT_EQ(words[3].spoken, "example.com,");
  EXPECT_TRUE(words[3].clause_end);
  EXPECT_EQ(words[5].spoken, "great!");
  EXPECT_TRUE(words[5].sentence_end);
  EXPECT_EQ(words[6].spoken, "bob");
  for (const auto &w : words) EXPECT_EQ(script.substr(w.begin, w.end - w.begin), w.text);
}

TEST(ScriptText, EmojiGlueIsDroppedButDigitsStay) {
  auto words = split_script("Top 10👍🏽 tips 👨‍👩‍👧 #1");
  ASSERT_EQ(words.size(), 5u);
  EXPECT_EQ(words[1].spoken, "10");
  EXPECT_FALSE(words[3].speaks());  // family emoji with joiners
  EXPECT_EQ(words[4].spoken, "1");
}

TEST(ScriptText, LineBreaksEndSentences) {
  auto words = split_script("Big News\nToday we ship.\n\nBye");
  auto sentences = sentence_ranges(words);
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(words[1].spoken, "News.");
  EXPECT_EQ(words[1].text, "News");
  EXPECT_EQ(sentences[1], std::make_pair(size_t{2}, size_t{5}));
}

TEST(ScriptText, SpeechTextPositionsCountCodePoints) {
  auto words = split_script("Héllo 🙂 wörld again");
  SpeechText st = make_speech_text(words, 0, words.size());
  EXPECT_EQ(st.text, "Héllo wörld again");
  ASSERT_EQ(st.char_position.size(), 3u);
  EXPECT_EQ(st.char_position[0], 1);
  EXPECT_EQ(st.char_position[1], 7);
  EXPECT_EQ(st.char_position[2], 13);
  EXPECT_EQ(st.word_index[1], 2u);
  EXPECT_EQ(st.word_for_position(9), 1u);
  EXPECT_EQ(st.word_for_position(13), 2u);
}

TEST(ScriptText, AMarkAfterAnEmojiIsShownWithTheWordBeforeItAndEndsItsSentence) {
  const std::string script = "It was my week ⏰. Next 🎉 comes.⏰ Then";
  auto words = split_script(script);
  ASSERT_EQ(words.size(), 9u);
  EXPECT_EQ(words[3].text, "week");
  EXPECT_EQ(words[3].shown, "week ⏰.");  // what its timing carries to the captions
  EXPECT_EQ(script.substr(words[3].begin, words[3].shown_end - words[3].begin), words[3].shown);
  EXPECT_TRUE(words[3].sentence_end);
  EXPECT_EQ(words[3].spoken, "week.");
  EXPECT_EQ(words[5].shown, "Next");   // an emoji without a mark is not carried
  EXPECT_TRUE(words[7].sentence_end);  // "comes.⏰": the stop before the emoji counts
  auto sentences = sentence_ranges(words);
  ASSERT_EQ(sentences.size(), 4u);  // the third: "Next 🎉 comes.⏰"
  EXPECT_EQ(sentences[0], std::make_pair(size_t{0}, size_t{4}));
  EXPECT_EQ(sentences[2], std::make_pair(size_t{5}, size_t{8}));
}
