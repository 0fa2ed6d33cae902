// The one grouping of words into caption cards (see automuse_render/captions.h): words become
// pieces that each fit a line (a word wider than a line is broken), pieces fill lines measured
// with libass, and lines fill cards until a pause, a sentence end or a limit closes the card.
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "automuse_render/ass_subtitles.h"
#include "automuse_render/captions.h"
#include "line_measure.h"
#include "log_bridge.h"

namespace automuse::render {
namespace {

constexpr double kMaxPause = 1.0;  // seconds of silence that close a card
constexpr double kLinger = 0.25;   // seconds a card stays up after its last word

size_t code_point_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Whether a line of text fits: characters (unless "auto") and drawn width.
class LineFit {
 public:
  LineFit(const SubtitleStyle &style, const Canvas &canvas,
          const std::optional<std::filesystem::path> &fonts_dir)
      : max_chars_(static_cast<size_t>(std::max(0, style.max_chars_per_line))),
        usable_(canvas.width - static_cast<int>(std::lround(style.margin_left * canvas.width)) -
                static_cast<int>(std::lround(style.margin_right * canvas.width))) {
    std::string error;
    measured_ = measure_.open(style, canvas, fonts_dir, error);
    // Without libass nothing is burned in either; the estimate keeps SRT export working.
    if (!measured_) detail::log_message(LogLevel::kWarning, "captions: " + error);
    em_ = subtitle_font_size(style, canvas);
  }

  bool fits(const std::string &line) {
    const size_t chars = code_point_count(line);
    if (max_chars_ > 0 && chars > max_chars_) return false;
    const double width = measured_ ? measure_.width(line) : 0.62 * em_ * static_cast<double>(chars);
    return width <= usable_;
  }

 private:
  size_t max_chars_;
  int usable_;
  int em_ = 0;
  bool measured_ = false;
  detail::LineMeasure measure_;
};

// Byte offsets between grapheme clusters (0 and text.size() included).
std::vector<size_t> grapheme_bounds(const std::string &text) {
  std::vector<size_t> out{0};
  UErrorCode status = U_ZERO_ERROR;
  UText *ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  UBreakIterator *bi = ubrk_open(UBRK_CHARACTER, "", nullptr, 0, &status);
  if (U_SUCCESS(status)) {
    ubrk_setUText(bi, ut, &status);
    for (int32_t b = ubrk_next(bi); U_SUCCESS(status) && b != UBRK_DONE; b = ubrk_next(bi))
      out.push_back(static_cast<size_t>(b));
  }
  ubrk_close(bi);
  utext_close(ut);
  if (out.back() != text.size()) out.push_back(text.size());
  return out;
}

bool good_break_after(char c) {
  return c == '/' || c == '.' || c == '-' || c == '?' || c == '&';
}

// A word as line-sized parts: whole when it fits, else each part the longest that fits,
// ending after a '/', '.', '-', '?' or '&' where there is one, else between characters.
std::vector<std::string> fitting_parts(const std::string &text, LineFit &fit) {
  if (fit.fits(text)) return {text};
  const std::vector<size_t> bounds = grapheme_bounds(text);
  std::vector<std::string> parts;
  size_t from = 0;  // index into bounds
  while (from + 1 < bounds.size()) {
    auto piece = [&](size_t to) { return text.substr(bounds[from], bounds[to] - bounds[from]); };
    // The furthest bound that fits (wider text only gets wider); at least one character.
    size_t lo = from + 1, hi = bounds.size() - 1;
    while (lo < hi) {
      const size_t mid = (lo + hi + 1) / 2;
      if (fit.fits(piece(mid)))
        lo = mid;
      else
        hi = mid - 1;
    }
    size_t to = lo;
    if (to + 1 < bounds.size())
      for (size_t b = to; b > from + 1; --b)
        if (good_break_after(text[bounds[b] - 1])) {
          to = b;
          break;
        }
    parts.push_back(piece(to));
    from = to;
  }
  return parts;
}

struct Unit : CardPiece {
  bool closes = false;  // a sentence ends after it
};

// Every word's caption text as pieces that fit a line, the word's time shared between its
// pieces by length.
std::vector<Unit> word_units(const std::vector<Word> &words, const SubtitleStyle &style,
                             LineFit &fit) {
  std::vector<Unit> units;
  for (size_t i = 0; i < words.size(); ++i) {
    const bool closes = style.break_at_sentences && ends_sentence(words[i].text);
    const std::string text = caption_text(words[i].text);
    if (text.empty()) {
      // An emoji alone carrying the stop ("week ⏰."): the sentence still ends.
      if (closes && !units.empty()) units.back().closes = true;
      continue;
    }
    const std::vector<std::string> parts = fitting_parts(text, fit);
    const double per_char =
        (words[i].end - words[i].start) / static_cast<double>(code_point_count(text));
    double at = words[i].start;
    for (size_t p = 0; p < parts.size(); ++p) {
      Unit u;
      u.word = i;
      u.text = parts[p];
      u.start = at;
      at = p + 1 == parts.size() ? words[i].end
                                 : at + per_char * static_cast<double>(code_point_count(parts[p]));
      u.end = at;
      u.joined = p > 0;
      u.closes = closes && p + 1 == parts.size();
      units.push_back(std::move(u));
    }
  }
  return units;
}

size_t words_in(const SubtitleCard &card) {
  size_t n = 0;
  for (const auto &line : card.lines)
    for (const CardPiece &p : line) n += !p.joined;
  return n;
}

// Whether unit `u` goes on a new card after `prev`, given the card so far.
bool starts_card(const Unit &prev, const Unit &u, const SubtitleCard &card,
                 const SubtitleStyle &style) {
  if (u.joined) return false;  // the rest of a broken word: only a full card moves it on
  return prev.closes || u.start - prev.end > kMaxPause ||
         (style.max_words > 0 && words_in(card) >= static_cast<size_t>(style.max_words));
}

// Display times: kLinger after the last word, at least min_duration, never into the next card.
void set_end_times(std::vector<SubtitleCard> &cards, const SubtitleStyle &style) {
  for (size_t k = 0; k < cards.size(); ++k) {
    SubtitleCard &c = cards[k];
    c.end = std::max(c.lines.back().back().end + kLinger, c.start + style.min_duration);
    if (k + 1 < cards.size()) c.end = std::min(c.end, cards[k + 1].start);
  }
}

}  // namespace

std::string line_text(const std::vector<CardPiece> &line) {
  std::string text;
  for (size_t p = 0; p < line.size(); ++p) {
    if (p && !line[p].joined) text += ' ';
    text += line[p].text;
  }
  return text;
}

std::vector<SubtitleCard> subtitle_cards(const std::vector<Word> &words, const SubtitleStyle &style,
                                         const Canvas &canvas,
                                         const std::optional<std::filesystem::path> &fonts_dir) {
  LineFit fit(style, canvas, fonts_dir);
  const std::vector<Unit> units = word_units(words, style, fit);
  std::vector<SubtitleCard> cards;
  for (size_t j = 0; j < units.size(); ++j) {
    const Unit &u = units[j];
    if (cards.empty() || starts_card(units[j - 1], u, cards.back(), style)) {
      cards.push_back(SubtitleCard{u.start, 0.0, {{u}}});
      continue;
    }
    SubtitleCard &card = cards.back();
    const bool fits_line = !u.joined && fit.fits(line_text(card.lines.back()) + " " + u.text);
    if (fits_line)
      card.lines.back().push_back(u);
    else if (static_cast<int>(card.lines.size()) < style.max_lines)
      card.lines.push_back({u});
    else
      cards.push_back(SubtitleCard{u.start, 0.0, {{u}}});
  }
  set_end_times(cards, style);
  return cards;
}

}  // namespace automuse::render
