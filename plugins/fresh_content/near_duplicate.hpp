// plugins/fresh_content/near_duplicate.hpp — whether a new text nearly repeats an old one: both
// are cut into words at ICU's word boundaries (any script), case-folded, with punctuation,
// symbols and spaces dropped, and compared as word sets (Jaccard: shared words over all words).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fresh_content {

// At or above this similarity a text counts as a repeat: "Why octopuses have three hearts"
// repeats "Octopuses have three hearts!" (0.8); two texts on one subject in other words do not.
inline constexpr double kNearDuplicate = 0.6;

// The distinct words of `text` (UTF-8), case-folded, sorted.
std::vector<std::string> comparable_words(std::string_view text);

// Shared words over all words of the two texts, 0 to 1; 0 when neither has a word.
double similarity(std::string_view a, std::string_view b);

// The first of `recent` that `candidate` nearly repeats (similarity >= threshold), or nullptr.
const std::string *nearly_repeats(std::string_view candidate,
                                  const std::vector<std::string> &recent,
                                  double threshold = kNearDuplicate);

}  // namespace fresh_content
