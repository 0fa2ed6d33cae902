// host/speech/script_text.hpp — a script split into the words it shows, and the cleaned text
// a synthesiser speaks for them: emoji are skipped, URLs are read as their domain, markdown
// and hashtag marks dropped, while each word keeps its text as written for the subtitles.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace automuse::speech {

struct ScriptWord {
  std::string text;  // as written in the script (punctuation attached)
  size_t begin = 0;  // UTF-8 byte offsets in the script
  size_t end = 0;
  // What the word's timing shows in captions: the text, plus unspoken words after it on its
  // line up to one carrying a mark ("week ⏰." for "week ⏰."), so the mark and the sentence end
  // reach the captions.
  std::string shown;
  size_t shown_end = 0;       // byte offset where `shown` ends
  std::string spoken;         // what the synthesiser gets; empty when nothing in it is spoken
  bool sentence_end = false;  // ends a sentence (the captions' rule) or a line/paragraph
  bool clause_end = false;    // ends a clause (, ; : —) or a sentence

  // True when the word has letters or digits to speak: only such words get timings.
  bool speaks() const { return !spoken.empty(); }
};

// Splits on whitespace and cleans each word for speech.
std::vector<ScriptWord> split_script(std::string_view script);

// Ranges [first, last) of word indices, one per sentence.
std::vector<std::pair<size_t, size_t>> sentence_ranges(const std::vector<ScriptWord> &words);

// The text sent to the synthesiser for words[first, last): the spoken forms joined by single
// spaces. `word_at` gives, for each spoken word, its index in `words` and its first
// character's 1-based code-point position in `text` (what espeak-ng's text_position counts).
struct SpeechText {
  std::string text;
  std::vector<size_t> word_index;
  std::vector<int> char_position;

  // The word a synthesiser event at `char_position` belongs to: the last word starting at or
  // before it. Returns an index into word_index.
  size_t word_for_position(int position) const;
};

SpeechText make_speech_text(const std::vector<ScriptWord> &words, size_t first, size_t last);

// Number of Unicode code points in UTF-8 text.
size_t count_code_points(std::string_view utf8);

}  // namespace automuse::speech
