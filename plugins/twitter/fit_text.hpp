// plugins/twitter/fit_text.hpp — the last resort when a post is too long: cut it at a word
// boundary (never inside a URL) so its weighted length fits.
#pragma once

#include <string>
#include <string_view>

namespace twitter {

// `text` in NFC, trimmed, and if its weighted length exceeds `max_weight`, cut at the last
// whitespace outside any URL that makes it fit (trailing spaces and dangling punctuation
// dropped). A text without such a space is cut between grapheme clusters outside URLs.
// Throws std::invalid_argument on invalid UTF-8.
std::string cut_to_fit(std::string_view text, int max_weight);

}  // namespace twitter
