// plugins/twitter/weighted_length.hpp — X's weighted length of a post (docs/protocols/x-api.md):
// NFC first, then URLs weigh 23, an emoji sequence 2, code points in the light ranges 1 and all
// others 2. Counted with ICU (normalisation, grapheme clusters, emoji properties).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace twitter {

inline constexpr int kMaxWeightedLength = 280;
inline constexpr int kUrlWeight = 23;

// A URL found in a text: byte offsets into the (NFC) text it was found in.
struct UrlSpan {
  size_t begin = 0;
  size_t end = 0;
};

// The text in NFC. Throws std::invalid_argument if `text` is not valid UTF-8.
std::string nfc(std::string_view text);

// URLs in `text` as X links them: with http:// or https:// (any case), or without a scheme
// for www. names and names under well-known top-level domains; up to the next space or
// non-ASCII character, without trailing punctuation that usually ends a sentence.
std::vector<UrlSpan> find_urls(std::string_view text);

// The weighted length of `text` (normalised to NFC first). Throws std::invalid_argument on
// invalid UTF-8.
int weighted_length(std::string_view text);

// The weight of one code point outside URLs and emoji: 1 in the light ranges, else 2.
int code_point_weight(char32_t cp);

}  // namespace twitter
