// The one ASS subtitle builder (see automuse_render/ass_subtitles.h).
#include "automuse_render/ass_subtitles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace automuse::render {
namespace {

// ASS colours are &HAABBGGRR with AA = transparency.
std::string ass_color(const Color &c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "&H%02X%02X%02X%02X", 255 - c.a, c.b, c.g, c.r);
  return buf;
}

std::string ass_time(double s) {
  long cs = std::max(0L, std::lround(s * 100));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld.%02ld", cs / 360000, (cs / 6000) % 60,
                (cs / 100) % 60, cs % 100);
  return buf;
}

size_t utf8_length(const std::string &s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool ends_sentence(const std::string &word) {
  const char last = word.empty() ? ' ' : word.back();
  return last == '.' || last == '!' || last == '?';
}

int pixels(double fraction, int of) {
  return static_cast<int>(std::lround(fraction * of));
}

}  // namespace

std::string ass_escape(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '{')
      out += '(';
    else if (c == '}')
      out += ')';
    else if (c == '\\')
      out += '/';
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

int subtitle_font_size(const SubtitleStyle &style, const Canvas &canvas) {
  return style.size > 0 ? style.size
                        : std::max(8, static_cast<int>(std::lround(canvas.height * 0.042)));
}

int subtitle_chars_per_line(const SubtitleStyle &style, const Canvas &canvas) {
  if (style.max_chars_per_line > 0) return style.max_chars_per_line;
  const double usable = canvas.width * (1.0 - style.margin_left - style.margin_right);
  return std::max(4, static_cast<int>(usable / (0.62 * subtitle_font_size(style, canvas))));
}

std::vector<SubtitleCard> subtitle_cards(const std::vector<Word> &words, const SubtitleStyle &style,
                                         const Canvas &canvas) {
  const size_t max_chars = static_cast<size_t>(subtitle_chars_per_line(style, canvas));
  std::vector<SubtitleCard> cards;
  size_t i = 0;
  while (i < words.size()) {
    SubtitleCard card;
    card.lines.emplace_back();
    size_t line_len = 0, j = i;
    for (; j < words.size(); ++j) {
      // Text never hangs over silence or straddles two sentences.
      if (j > i && words[j].start - words[j - 1].end > 1.0) break;
      if (j > i && style.break_at_sentences && ends_sentence(words[j - 1].text)) break;
      const size_t len = utf8_length(words[j].text);
      size_t need = line_len == 0 ? len : line_len + 1 + len;
      if (line_len > 0 && need > max_chars) {
        if (static_cast<int>(card.lines.size()) >= style.max_lines) break;
        card.lines.emplace_back();
        need = len;
      }
      card.lines.back().push_back(j);
      line_len = need;
    }
    card.start = words[i].start;
    card.end = words[j - 1].end + 0.25;
    if (j < words.size()) card.end = std::min(card.end, words[j].start);
    cards.push_back(std::move(card));
    i = j;
  }
  return cards;
}

std::string build_ass(const std::vector<Word> &words, const std::vector<SubtitleCard> &cards,
                      const SubtitleStyle &st, const Canvas &canvas) {
  const int size = subtitle_font_size(st, canvas);
  const double outline = st.outline > 0 ? st.outline : std::max(1.0, size / 14.0);
  int alignment = 2;
  double from_edge = 0;
  switch (st.position) {
    case SubtitlePosition::kTop:
      alignment = 8, from_edge = 0.12;
      break;
    case SubtitlePosition::kCenter:
      alignment = 5, from_edge = 0;
      break;
    // Above the bottom quarter, where Shorts overlays its buttons and caption.
    case SubtitlePosition::kLowerThird:
      alignment = 2, from_edge = 0.30;
      break;
    case SubtitlePosition::kBottom:
      alignment = 2, from_edge = 0.08;
      break;
  }
  if (st.margin_vertical) from_edge = *st.margin_vertical;
  std::ostringstream o;
  o << "[Script Info]\nScriptType: v4.00+\nPlayResX: " << canvas.width
    << "\nPlayResY: " << canvas.height << "\nWrapStyle: 0\nScaledBorderAndShadow: yes\n\n"
    << "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
       "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, "
       "Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    << "Style: Default," << st.font << "," << size << "," << ass_color(st.color) << ","
    << ass_color(st.highlight_color) << "," << ass_color(st.outline_color) << ",&H80000000,"
    << (st.bold ? -1 : 0) << ",0,0,0,100,100,0,0,1," << outline << "," << st.shadow << ","
    << alignment << "," << pixels(st.margin_left, canvas.width) << ","
    << pixels(st.margin_right, canvas.width) << "," << pixels(from_edge, canvas.height)
    << ",1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
       "Effect, Text\n";

  const std::string hl = "{\\1c" + ass_color(st.highlight_color) + "&}";
  const std::string normal = "{\\1c" + ass_color(st.color) + "&}";
  for (const SubtitleCard &card : cards) {
    std::vector<size_t> order;  // the card's words in reading order
    for (const auto &line : card.lines) order.insert(order.end(), line.begin(), line.end());
    for (size_t k = 0; k < order.size(); ++k) {
      const double start = k == 0 ? card.start : words[order[k]].start;
      const double end = k + 1 < order.size() ? words[order[k + 1]].start : card.end;
      // Words spoken at the same instant: the later one's event shows the card.
      if (end <= start) continue;
      std::string text;
      for (size_t l = 0; l < card.lines.size(); ++l) {
        if (l) text += "\\N";
        for (size_t w = 0; w < card.lines[l].size(); ++w) {
          const size_t idx = card.lines[l][w];
          if (w) text += ' ';
          text += idx == order[k] ? hl + ass_escape(words[idx].text) + normal
                                  : ass_escape(words[idx].text);
        }
      }
      o << "Dialogue: 0," << ass_time(start) << "," << ass_time(end) << ",Default,,0,0,0,," << text
        << "\n";
    }
  }
  return o.str();
}

std::string build_ass(const std::vector<Word> &words, const SubtitleStyle &style,
                      const Canvas &canvas) {
  return build_ass(words, subtitle_cards(words, style, canvas), style, canvas);
}

}  // namespace automuse::render
