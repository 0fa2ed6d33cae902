// plugins/twitter/fit_text.cpp — cutting a post at a word boundary outside URLs.
#include "fit_text.hpp"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "text.hpp"
#include "weighted_length.hpp"

namespace twitter {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

// Drop trailing spaces and punctuation that would dangle after a cut (",", ";", ":", "-").
std::string_view tidy_end(std::string_view s) {
  while (!s.empty() && (is_space(s.back()) || s.back() == ',' || s.back() == ';' ||
                        s.back() == ':' || s.back() == '-'))
    s.remove_suffix(1);
  return s;
}

bool inside_url(const std::vector<UrlSpan> &urls, size_t at) {
  for (const auto &u : urls)
    if (at > u.begin && at < u.end) return true;
  return false;
}

}  // namespace

std::string cut_to_fit(std::string_view text, int max_weight) {
  const std::string normal = nfc(text);
  std::string_view s = plugin_support::trim(normal);
  if (weighted_length(s) <= max_weight) return std::string(s);
  const auto urls = find_urls(s);

  // Word boundaries first: the longest prefix ending before a space outside URLs.
  std::string best;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!is_space(s[i]) || is_space(s[i - 1]) || inside_url(urls, i)) continue;
    std::string_view candidate = tidy_end(s.substr(0, i));
    if (candidate.empty()) continue;
    if (weighted_length(candidate) <= max_weight)
      best.assign(candidate);
    else
      break;  // weights only grow with longer prefixes
  }
  if (!best.empty()) return best;

  // One long word: cut between grapheme clusters, still never inside a URL.
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) throw std::runtime_error("ICU grapheme iterator unavailable");
  it->setText(u);
  std::string prefix;
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; end = it->next()) {
    std::string candidate;
    u.tempSubString(0, end).toUTF8String(candidate);
    if (inside_url(urls, candidate.size())) continue;
    if (weighted_length(candidate) > max_weight) break;
    prefix = std::move(candidate);
  }
  return prefix;
}

}  // namespace twitter
