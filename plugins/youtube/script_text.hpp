// plugins/youtube/script_text.hpp — the script as text: sentences with their byte ranges (so
// speech word timings map back to them), emoji removal for prompts and metadata, and UTF-8
// helpers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace youtube {

struct Sentence {
  std::string text;  // trimmed
  size_t begin = 0;  // UTF-8 byte offsets in the script
  size_t end = 0;
  size_t words = 0;  // whitespace-separated words
};

// Normalises a script read from a file: CRLF to LF, trims, drops a UTF-8 BOM.
std::string normalise_script(std::string text);

// Splits at . ! ? … (followed by space or end) and at line breaks.
std::vector<Sentence> split_sentences(std::string_view script);

// True for code points that are emoji or emoji modifiers (pictographs, dingbats, flags,
// variation selectors, ZWJ, keycaps, tags): for the plugin's own text (sentences, scene
// prompts, metadata); captions drop emoji in the renderer.
bool is_emoji(char32_t cp);

// The text with emoji removed and runs of spaces collapsed; trimmed.
std::string strip_emoji(std::string_view text);

// The longest prefix of at most max_bytes that ends on a code point boundary.
std::string truncate_utf8(std::string_view text, size_t max_bytes);

// Number of code points.
size_t utf8_length(std::string_view text);

// Decodes one code point at text[i], advancing i; invalid bytes decode as U+FFFD.
char32_t next_code_point(std::string_view text, size_t &i);

}  // namespace youtube
