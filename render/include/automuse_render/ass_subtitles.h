// The one ASS subtitle builder: word timings + a SubtitleStyle + the canvas -> an ASS script
// with the word being spoken highlighted (one event per word). The renderer burns what it
// builds; the host's caption service and `subtitles.write_ass` hand out the same text.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "automuse_render/timeline.h"

namespace automuse::render {

// What one subtitle card shows and when: lines of word indices (into the words given).
struct SubtitleCard {
  double start = 0.0;
  double end = 0.0;
  std::vector<std::vector<size_t>> lines;
};

// Text made safe for an ASS Dialogue line: override braces become parentheses, backslashes
// slashes and line breaks spaces, so no text can restyle or break the script.
std::string ass_escape(const std::string &text);

// The font size in pixels: style.size, or 4.2% of the canvas height.
int subtitle_font_size(const SubtitleStyle &style, const Canvas &canvas);

// Characters per line: style.max_chars_per_line, or for "auto" (0) as many as fit between the
// side margins at the font size (about 0.62 em per character of bold DejaVu Sans).
int subtitle_chars_per_line(const SubtitleStyle &style, const Canvas &canvas);

// Groups words into cards of up to max_lines lines; a pause over a second, or (with
// break_at_sentences) a word ending a sentence, closes a card. A card stays up while its words
// are spoken plus 0.25 s, unless the next card starts sooner.
std::vector<SubtitleCard> subtitle_cards(const std::vector<Word> &words, const SubtitleStyle &style,
                                         const Canvas &canvas);

// The script for cards made elsewhere (the host's caption cards): one event per word of a
// card, from the word's start (the card's start for its first word) to the next word's start
// (the card's end for its last word), showing the card with that word in highlight_color.
std::string build_ass(const std::vector<Word> &words, const std::vector<SubtitleCard> &cards,
                      const SubtitleStyle &style, const Canvas &canvas);

// build_ass over subtitle_cards: what the renderer burns for "subtitles.words".
std::string build_ass(const std::vector<Word> &words, const SubtitleStyle &style,
                      const Canvas &canvas);

}  // namespace automuse::render
