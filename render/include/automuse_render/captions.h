// Captions: the one rule that turns word timings into caption cards (what the renderer burns
// in and what the host hands out as SRT or ASS), the captions' text rules (emoji dropped, where
// a sentence ends), and SRT written and read back.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "automuse_render/timeline.h"

namespace automuse::render {

// What a caption shows of a word: the word without emoji (pictographs with their joiners,
// variation selectors, skin tones, keycaps, flags and tags; subtitle fonts have no glyphs for
// them), marks an emoji left behind glued back ("week ⏰." shows "week."). Empty when nothing
// is left to show.
std::string caption_text(std::string_view word);

// Whether a word ends a sentence: its last mark, past closing quotes, brackets and emoji, is
// . ! ? … or a CJK or Devanagari full stop ("week.", "week ⏰.", "week.⏰", "done!\"").
bool ends_sentence(std::string_view word);

// One piece of a card line: a word's caption text, or the part of it that fits when the word is
// wider than a line (a URL), spoken from `start` to `end`.
struct CardPiece {
  size_t word = 0;  // index into the words the card was made from
  std::string text;
  double start = 0.0;
  double end = 0.0;
  bool joined = false;  // continues the previous piece's word (no space before it)
};

// What one subtitle card shows and when.
struct SubtitleCard {
  double start = 0.0;
  double end = 0.0;
  std::vector<std::vector<CardPiece>> lines;
};

// A card line as text: its pieces, a space between words.
std::string line_text(const std::vector<CardPiece> &line);

// Groups words into cards of up to style.max_lines lines, each line no wider than the space
// between the side margins as the renderer draws it (measured with libass and the style's
// font, found through fontconfig and `fonts_dir`) and no longer than max_chars_per_line
// characters (unless "auto"). A word wider than a line breaks after '/', '.', '-', '?' or '&',
// or between characters. A pause over a second, max_words words, or (with
// break_at_sentences) a word ending a sentence closes a card. A card stays up while its words
// are spoken plus 0.25 s, at least min_duration, until the next card starts at the latest.
// Words without anything to show (emoji alone) are left out.
std::vector<SubtitleCard> subtitle_cards(
    const std::vector<Word> &words, const SubtitleStyle &style, const Canvas &canvas,
    const std::optional<std::filesystem::path> &fonts_dir = {});

// The cards as SRT: one numbered cue per card with its lines.
std::string build_srt(const std::vector<SubtitleCard> &cards);

// An SRT cue read back.
struct SrtCue {
  int index = 0;
  double start = 0.0;
  double end = 0.0;
  std::vector<std::string> lines;
};
struct SrtParse {
  std::vector<SrtCue> cues;
  std::optional<TimelineError> error;  // path "srt line N"
};
SrtParse parse_srt(std::string_view text);

// "HH:MM:SS,mmm"
std::string srt_time(double seconds);

}  // namespace automuse::render
