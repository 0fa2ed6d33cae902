// host/subtitles/captions.hpp — from word timings to caption cards: at most N characters per
// line and N lines and words per card, never breaking inside a word, preferring to end a card
// at a sentence or clause boundary or a pause, and keeping each card up long enough to read.
#pragma once

#include <string>
#include <vector>

#include "speech/word_timing.hpp"

namespace automuse::subtitles {

using speech::WordTiming;

struct CaptionOptions {
  int max_chars_per_line = 22;  // code points
  int max_lines = 2;
  int max_words = 8;
  double min_duration = 0.7;  // seconds a card stays up at least (if the next allows)
  double max_pause = 0.8;     // a longer silence between words starts a new card
  double bridge_gap = 0.3;    // shorter gaps between cards are closed (no flicker)
};

struct Caption {
  double start = 0.0;
  double end = 0.0;
  std::vector<std::string> lines;
  size_t first_word = 0;  // index into the word timings
  size_t word_count = 0;
  // For each word of the card: its line and its position (word index) within that line.
  std::vector<std::pair<int, int>> word_places;
};

// Throws speech::SpeechError("options.<field>", ...) for nonsensical options.
std::vector<Caption> make_captions(const std::vector<WordTiming> &words,
                                   const CaptionOptions &options = {});

// Characters in a string as a reader counts them (Unicode code points).
size_t display_length(const std::string &utf8);

}  // namespace automuse::subtitles
