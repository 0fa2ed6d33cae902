// tests/fresh_content/fresh_content_test.cpp — when a new topic or post counts as a repeat of a
// recent one, and what the LLM is told.
#include <gtest/gtest.h>

#include "near_duplicate.hpp"
#include "recent_history.hpp"

namespace {

using fresh_content::comparable_words;
using fresh_content::kNearDuplicate;
using fresh_content::nearly_repeats;
using fresh_content::similarity;

TEST(NearDuplicate, WordsAreCaseFoldedWithoutPunctuationOrSpaces) {
  EXPECT_EQ(comparable_words("  Why, the OCTOPUS -- has three hearts?! "),
            (std::vector<std::string>{"has", "hearts", "octopus", "the", "three", "why"}));
  // Full case folding: ß folds to ss, Greek final sigma to sigma.
  EXPECT_EQ(comparable_words("STRASSE"), comparable_words("Straße"));
  EXPECT_EQ(comparable_words("ΟΔΟΣ"), comparable_words("οδος"));
  EXPECT_TRUE(comparable_words("... !!! 🐙").empty());
}

TEST(NearDuplicate, TheSameWordsInAnotherOrderOrCaseAreARepeat) {
  EXPECT_DOUBLE_EQ(similarity("Octopuses have three hearts.", "octopuses HAVE three hearts"), 1.0);
  EXPECT_DOUBLE_EQ(similarity("three hearts, octopuses have", "Octopuses have three hearts"), 1.0);
  EXPECT_GE(similarity("Why octopuses have three hearts", "Octopuses have three hearts!"),
            kNearDuplicate);
}

TEST(NearDuplicate, AnotherSubjectIsNot) {
  EXPECT_LT(similarity("Why octopuses have three hearts", "How bees see ultraviolet light"),
            kNearDuplicate);
  EXPECT_LT(similarity("Salt the pasta water until it tastes like the sea.",
                       "Rest a steak for five minutes before you cut it."),
            kNearDuplicate);
  EXPECT_DOUBLE_EQ(similarity("", "!!"), 0.0);
}

TEST(NearDuplicate, ScriptsWithoutSpacesAreCutIntoWords) {
  // ICU's dictionary finds the words of Japanese text: one changed word is still close,
  // another sentence is not.
  const std::string a = "東京の猫はとてもかわいいです";
  EXPECT_GT(comparable_words(a).size(), 3u);
  EXPECT_DOUBLE_EQ(similarity(a, a + "。"), 1.0);
  EXPECT_LT(similarity(a, "大阪でラーメンを食べました"), kNearDuplicate);
}

TEST(NearDuplicate, FindsTheRecentItemRepeated) {
  const std::vector<std::string> recent{"How bees see ultraviolet light",
                                        "Why octopuses have three hearts"};
  const std::string *hit = nearly_repeats("octopuses: WHY they have three hearts", recent);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(*hit, recent[1]);
  EXPECT_EQ(nearly_repeats("The loudest animal in the ocean", recent), nullptr);
  EXPECT_EQ(nearly_repeats("anything", {}), nullptr);
}

TEST(RecentHistory, ThePromptListsEveryRecentItemAndTheRefusalNamesTheRepeat) {
  EXPECT_EQ(fresh_content::avoid_instruction({}, "posts"), "");
  const std::string avoid = fresh_content::avoid_instruction({"First post", "Second"}, "posts");
  EXPECT_NE(avoid.find("Do not repeat any of these recent posts"), std::string::npos);
  EXPECT_NE(avoid.find("\n- First post"), std::string::npos);
  EXPECT_NE(avoid.find("\n- Second"), std::string::npos);
  const std::string refusal = fresh_content::repeat_refusal("First post", "posts");
  EXPECT_NE(refusal.find("\"First post\""), std::string::npos);
  EXPECT_NE(refusal.find("different"), std::string::npos);
}

}  // namespace
