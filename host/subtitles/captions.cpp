// host/subtitles/captions.cpp — greedy card building with boundary preferences, balanced
// line breaks, and display-time fixes.
#include "subtitles/captions.hpp"

#include <algorithm>
#include <limits>

namespace automuse::subtitles {
namespace {

using speech::SpeechError;

// The last character of a word that is not a closing quote or bracket.
std::string_view tail_mark(const std::string &w) {
  size_t n = w.size();
  while (n > 0 && (w[n - 1] == '"' || w[n - 1] == '\'' || w[n - 1] == ')' || w[n - 1] == ']')) --n;
  if (n == 0) return {};
  // Multi-byte marks we care about: … (E2 80 A6), — (E2 80 94), 。(E3 80 82), ！？，(EF BC ..)
  if (n >= 3 && static_cast<unsigned char>(w[n - 3]) >= 0xE0)
    return std::string_view(w).substr(n - 3, 3);
  return std::string_view(w).substr(n - 1, 1);
}

bool ends_sentence(const std::string &w) {
  auto t = tail_mark(w);
  return t == "." || t == "!" || t == "?" || t == "\xE2\x80\xA6" || t == "\xE3\x80\x82" ||
         t == "\xEF\xBC\x81" || t == "\xEF\xBC\x9F";
}

bool ends_clause(const std::string &w) {
  auto t = tail_mark(w);
  return ends_sentence(w) || t == "," || t == ";" || t == ":" || t == "\xE2\x80\x94" ||
         t == "\xEF\xBC\x8C" || t == "\xE3\x80\x81";
}

// Lays words out in lines of at most max_chars (a longer word gets a line of its own).
// For two lines, picks the break that balances them. Returns line index per word, or an
// empty vector if more than max_lines lines are needed.
std::vector<int> layout(const std::vector<size_t> &lengths, int max_chars, int max_lines) {
  const size_t n = lengths.size();
  std::vector<int> line_of(n, 0);
  int line = 0;
  size_t used = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t need = used == 0 ? lengths[i] : used + 1 + lengths[i];
    if (used > 0 && need > static_cast<size_t>(max_chars)) {
      ++line;
      used = lengths[i];
    } else {
      used = need;
    }
    line_of[i] = line;
  }
  if (line + 1 > max_lines) return {};
  if (line == 1) {
    // Balance: the split that minimises the longer line, as long as both fit (a word
    // longer than a line may overflow only on a line of its own).
    std::vector<size_t> prefix(n + 1, 0);
    for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + lengths[i];
    size_t best_split = 0, best_long = std::numeric_limits<size_t>::max();
    const size_t limit = static_cast<size_t>(max_chars);
    for (size_t s = 1; s < n; ++s) {
      size_t left = prefix[s] + (s - 1), right = prefix[n] - prefix[s] + (n - s - 1);
      bool fits = (left <= limit || s == 1) && (right <= limit || s + 1 == n);
      if (fits && std::max(left, right) < best_long) {
        best_long = std::max(left, right);
        best_split = s;
      }
    }
    if (best_split > 0)
      for (size_t i = 0; i < n; ++i) line_of[i] = i < best_split ? 0 : 1;
  }
  return line_of;
}

}  // namespace

size_t display_length(const std::string &s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::vector<Caption> make_captions(const std::vector<WordTiming> &words, const CaptionOptions &o) {
  if (o.max_chars_per_line < 4) throw SpeechError("options.max_chars_per_line", "must be >= 4");
  if (o.max_lines < 1) throw SpeechError("options.max_lines", "must be >= 1");
  if (o.max_words < 1) throw SpeechError("options.max_words", "must be >= 1");
  if (o.min_duration < 0) throw SpeechError("options.min_duration", "must be >= 0");

  // Cards as [first, last) word ranges.
  std::vector<std::pair<size_t, size_t>> ranges;
  std::vector<size_t> lengths;
  size_t first = 0;
  const size_t capacity = static_cast<size_t>(o.max_chars_per_line * o.max_lines);
  size_t chars = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    size_t len = display_length(words[i].text);
    if (i > first) {
      const WordTiming &prev = words[i - 1];
      bool brk = false;
      std::vector<size_t> trial = lengths;
      trial.push_back(len);
      if (trial.size() > static_cast<size_t>(o.max_words) ||
          layout(trial, o.max_chars_per_line, o.max_lines).empty())
        brk = true;
      else if (words[i].start - prev.end > o.max_pause || ends_sentence(prev.text))
        brk = true;
      else if (ends_clause(prev.text) && (chars * 2 >= capacity || lengths.size() >= 3))
        brk = true;  // a clause ends and the card is reasonably full: a natural place
      if (brk) {
        ranges.emplace_back(first, i);
        first = i;
        lengths.clear();
        chars = 0;
      }
    }
    lengths.push_back(len);
    chars += len + (lengths.size() > 1 ? 1 : 0);
  }
  if (first < words.size()) ranges.emplace_back(first, words.size());

  std::vector<Caption> cards;
  for (auto [a, b] : ranges) {
    Caption c;
    c.first_word = a;
    c.word_count = b - a;
    c.start = words[a].start;
    c.end = words[b - 1].end;
    std::vector<size_t> lens;
    for (size_t i = a; i < b; ++i) lens.push_back(display_length(words[i].text));
    std::vector<int> line_of = layout(lens, o.max_chars_per_line, o.max_lines);
    if (line_of.empty()) line_of.assign(lens.size(), 0);  // unreachable: ranges were checked
    int pos = 0;
    for (size_t i = a; i < b; ++i) {
      int line = line_of[i - a];
      if (static_cast<int>(c.lines.size()) <= line) {
        c.lines.emplace_back();
        pos = 0;
      }
      if (!c.lines.back().empty()) c.lines.back() += ' ';
      c.lines.back() += words[i].text;
      c.word_places.emplace_back(line, pos++);
    }
    cards.push_back(std::move(c));
  }
  // Display times: at least min_duration when the next card leaves room, never overlapping,
  // and small gaps closed so cards do not flicker.
  for (size_t k = 0; k < cards.size(); ++k) {
    double next = k + 1 < cards.size() ? cards[k + 1].start : std::numeric_limits<double>::max();
    cards[k].end = std::max(cards[k].end, std::min(cards[k].start + o.min_duration, next));
    if (next - cards[k].end < o.bridge_gap) cards[k].end = next;
    cards[k].end = std::min(cards[k].end, next);
  }
  return cards;
}

}  // namespace automuse::subtitles
