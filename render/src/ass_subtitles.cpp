// The one ASS subtitle writer (see automuse_render/ass_subtitles.h).
#include "automuse_render/ass_subtitles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "ass_script.h"

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

int pixels(double fraction, int of) {
  return static_cast<int>(std::lround(fraction * of));
}

// The ASS alignment and the distance from the edge the text sits at, by position.
std::pair<int, double> placement(SubtitlePosition position) {
  switch (position) {
    case SubtitlePosition::kTop:
      return {8, 0.12};
    case SubtitlePosition::kCenter:
      return {5, 0.0};
    case SubtitlePosition::kBottom:
      return {2, 0.08};
    case SubtitlePosition::kLowerThird:
      break;
  }
  // Above the bottom quarter, where Shorts overlays its buttons and caption.
  return {2, 0.30};
}

// A card's text with the pieces of word `highlighted` in the highlight colour.
std::string card_text(const SubtitleCard &card, size_t highlighted, const std::string &hl,
                      const std::string &normal) {
  std::string text;
  for (size_t l = 0; l < card.lines.size(); ++l) {
    if (l) text += "\\N";
    for (size_t p = 0; p < card.lines[l].size(); ++p) {
      const CardPiece &piece = card.lines[l][p];
      if (p && !piece.joined) text += ' ';
      text +=
          piece.word == highlighted ? hl + ass_escape(piece.text) + normal : ass_escape(piece.text);
    }
  }
  return text;
}

}  // namespace

namespace detail {

std::string ass_header(const SubtitleStyle &st, const Canvas &canvas) {
  const int size = subtitle_font_size(st, canvas);
  const double outline = st.outline > 0 ? st.outline : std::max(1.0, size / 14.0);
  auto [alignment, from_edge] = placement(st.position);
  if (st.margin_vertical) from_edge = *st.margin_vertical;
  std::ostringstream o;
  // WrapStyle 2: lines break only at the cards' \N, so the video shows the cards' lines.
  o << "[Script Info]\nScriptType: v4.00+\nPlayResX: " << canvas.width
    << "\nPlayResY: " << canvas.height << "\nWrapStyle: 2\nScaledBorderAndShadow: yes\n\n"
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
  return o.str();
}

}  // namespace detail

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

std::string build_ass(const std::vector<SubtitleCard> &cards, const SubtitleStyle &st,
                      const Canvas &canvas) {
  std::string script = detail::ass_header(st, canvas);
  const std::string hl = "{\\1c" + ass_color(st.highlight_color) + "&}";
  const std::string normal = "{\\1c" + ass_color(st.color) + "&}";
  for (const SubtitleCard &card : cards) {
    std::vector<const CardPiece *> order;  // the card's pieces in reading order
    for (const auto &line : card.lines)
      for (const CardPiece &piece : line) order.push_back(&piece);
    for (size_t k = 0; k < order.size(); ++k) {
      const double start = k == 0 ? card.start : order[k]->start;
      const double end = k + 1 < order.size() ? order[k + 1]->start : card.end;
      // Words spoken at the same instant: the later one's event shows the card.
      if (end <= start) continue;
      script += "Dialogue: 0," + ass_time(start) + "," + ass_time(end) + ",Default,,0,0,0,," +
                card_text(card, order[k]->word, hl, normal) + "\n";
    }
  }
  return script;
}

std::string build_ass(const std::vector<Word> &words, const SubtitleStyle &style,
                      const Canvas &canvas, const std::optional<std::filesystem::path> &fonts_dir) {
  return build_ass(subtitle_cards(words, style, canvas, fonts_dir), style, canvas);
}

}  // namespace automuse::render
