// plugins/fresh_content/near_duplicate.cpp — word sets through ICU's word break iterator.
#include "near_duplicate.hpp"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <iterator>
#include <memory>

namespace fresh_content {

std::vector<std::string> comparable_words(std::string_view text) {
  const icu::UnicodeString folded =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
          .foldCase();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  std::vector<std::string> out;
  if (U_FAILURE(status)) return out;
  words->setText(folded);
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    // Spaces, punctuation and symbols have the status UBRK_WORD_NONE.
    if (words->getRuleStatus() == UBRK_WORD_NONE) continue;
    std::string word;
    folded.tempSubStringBetween(start, end).toUTF8String(word);
    out.push_back(std::move(word));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double similarity(std::string_view a, std::string_view b) {
  const std::vector<std::string> x = comparable_words(a), y = comparable_words(b);
  if (x.empty() && y.empty()) return 0;
  std::vector<std::string> shared;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(shared));
  return static_cast<double>(shared.size()) /
         static_cast<double>(x.size() + y.size() - shared.size());
}

const std::string *nearly_repeats(std::string_view candidate,
                                  const std::vector<std::string> &recent, double threshold) {
  for (const std::string &old : recent)
    if (similarity(candidate, old) >= threshold) return &old;
  return nullptr;
}

}  // namespace fresh_content
