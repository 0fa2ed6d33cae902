// plugins/youtube/subtitles_ass.cpp — safe-area, word-highlighted ASS subtitles.
#include "subtitles_ass.hpp"

#include <algorithm>
#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "script_text.hpp"

namespace youtube {
namespace json = boost::json;

namespace {

[[noreturn]] void bad(const std::string &what) {
  throw am::error(AM_INVALID_ARGUMENT, "account field 'subtitle_style': " + what);
}

bool is_hex_colour(const std::string &s) {
  if (s.size() != 7 || s[0] != '#') return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// "#RRGGBB" -> ASS "&H00BBGGRR".
std::string ass_colour(const std::string &hex) {
  return "&H00" + hex.substr(5, 2) + hex.substr(3, 2) + hex.substr(1, 2);
}

std::string ass_time(double s) {
  long cs = std::max(0L, std::lround(s * 100));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld.%02ld", cs / 360000, (cs / 6000) % 60,
                (cs / 100) % 60, cs % 100);
  return buf;
}

// Word text with ASS override and line-break syntax neutralised.
std::string ass_text(const std::string &s) {
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

}  // namespace

SafeArea safe_area(int width, int height) {
  if (width < height) return {0.06, 0.82, 0.12, 0.74};  // portrait: Shorts buttons on the right
  return {0.08, 0.92, 0.08, 0.88};                      // landscape and square: classic title-safe
}

SubtitleStyle parse_subtitle_style(const std::string &text) {
  SubtitleStyle st;
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return st;
  if (text[b] != '{') {
    std::string name = text.substr(b, text.find_last_not_of(" \t\r\n") - b + 1);
    if (name == "yellow" || name == "default") return st;
    if (name == "white") {
      st.highlight_color = "#FFFFFF", st.color = "#BBBBBB";
      return st;
    }
    if (name == "green") {
      st.highlight_color = "#3DDC84";
      return st;
    }
    if (name == "pink") {
      st.highlight_color = "#FF4FA3";
      return st;
    }
    bad("unknown preset '" + name + "' (presets: yellow, white, green, pink; or a JSON object)");
  }
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    bad("not a JSON object: " + (ec ? ec.message() : std::string("wrong type")));
  for (const auto &[key, value] : v.as_object()) {
    const std::string k(key);
    auto colour = [&](std::string &into) {
      if (!value.is_string() || !is_hex_colour(std::string(value.as_string())))
        bad(k + " must be a colour like \"#RRGGBB\"");
      into = std::string(value.as_string());
    };
    if (k == "font") {
      if (!value.is_string() || value.as_string().empty()) bad("font must be a font name");
      st.font = std::string(value.as_string());
      if (st.font.find_first_of(",\n") != std::string::npos) bad("font must not contain commas");
    } else if (k == "size") {
      if (!value.is_number() || value.to_number<double>() < 8 || value.to_number<double>() > 400)
        bad("size must be 8..400 pixels");
      st.size = static_cast<int>(value.to_number<double>());
    } else if (k == "color") {
      colour(st.color);
    } else if (k == "highlight_color") {
      colour(st.highlight_color);
    } else if (k == "outline_color") {
      colour(st.outline_color);
    } else if (k == "bold") {
      if (!value.is_bool()) bad("bold must be true or false");
      st.bold = value.as_bool();
    } else if (k == "max_lines") {
      if (!value.is_number() || value.to_number<double>() < 1 || value.to_number<double>() > 4)
        bad("max_lines must be 1..4");
      st.max_lines = static_cast<int>(value.to_number<double>());
    } else {
      bad("unknown field '" + k +
          "' (fields: font, size, color, highlight_color, outline_color, bold, max_lines)");
    }
  }
  return st;
}

std::string build_ass(const std::vector<Word> &input, int width, int height,
                      const SubtitleStyle &style) {
  const SafeArea area = safe_area(width, height);
  const int size =
      style.size > 0
          ? style.size
          : std::max(8, static_cast<int>(std::lround(height * (width < height ? 0.040 : 0.060))));
  const int margin_l = static_cast<int>(std::lround(width * area.left));
  const int margin_r = static_cast<int>(std::lround(width * (1 - area.right)));
  const int margin_v = static_cast<int>(std::lround(height * (1 - area.bottom)));
  const double outline = std::max(1.0, size / 12.0);
  // Characters per line so a line fits between the margins without libass having to wrap
  // (bold DejaVu Sans averages about 0.62 em per character).
  const double usable = width - margin_l - margin_r;
  const size_t max_chars = std::max<size_t>(6, static_cast<size_t>(usable / (0.62 * size)));

  std::vector<Word> words;
  for (const Word &w : input) {
    std::string t = strip_emoji(w.text);
    if (!t.empty()) words.push_back(Word{std::move(t), w.start, w.end});
  }

  std::ostringstream o;
  o << "[Script Info]\nScriptType: v4.00+\nPlayResX: " << width << "\nPlayResY: " << height
    << "\nWrapStyle: 0\nScaledBorderAndShadow: yes\n\n[V4+ Styles]\n"
    << "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
       "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
       "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    << "Style: Default," << style.font << "," << size << "," << ass_colour(style.color) << ","
    << ass_colour(style.highlight_color) << "," << ass_colour(style.outline_color) << ",&H80000000,"
    << (style.bold ? -1 : 0) << ",0,0,0,100,100,0,0,1," << outline << ","
    << std::max(1.0, outline / 2) << ",2," << margin_l << "," << margin_r << "," << margin_v
    << ",1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
       "Effect, Text\n";

  const std::string hl = "{\\1c" + ass_colour(style.highlight_color) + "&}";
  const std::string normal = "{\\1c" + ass_colour(style.color) + "&}";
  size_t i = 0;
  while (i < words.size()) {
    // A card: up to max_lines lines of max_chars; a pause over a second or a sentence end
    // closes it so text never hangs over silence or straddles two thoughts.
    std::vector<std::vector<size_t>> lines(1);
    size_t line_len = 0, j = i;
    for (; j < words.size(); ++j) {
      if (j > i && words[j].start - words[j - 1].end > 1.0) break;
      if (j > i) {
        const std::string &prev = words[j - 1].text;
        char last = prev.back();
        if (last == '.' || last == '!' || last == '?') break;
      }
      size_t len = utf8_length(words[j].text);
      size_t need = line_len == 0 ? len : line_len + 1 + len;
      if (line_len > 0 && need > max_chars) {
        if (static_cast<int>(lines.size()) >= style.max_lines) break;
        lines.emplace_back();
        need = len;
      }
      lines.back().push_back(j);
      line_len = need;
    }
    for (size_t k = i; k < j; ++k) {
      double start = words[k].start;
      double end = k + 1 < j ? words[k + 1].start : words[k].end + 0.3;
      if (j < words.size()) end = std::min(end, words[j].start);
      if (end <= start) end = start + 0.05;
      std::string text;
      for (size_t l = 0; l < lines.size(); ++l) {
        if (l) text += "\\N";
        for (size_t w = 0; w < lines[l].size(); ++w) {
          size_t idx = lines[l][w];
          if (w) text += ' ';
          text += idx == k ? hl + ass_text(words[idx].text) + normal : ass_text(words[idx].text);
        }
      }
      o << "Dialogue: 0," << ass_time(start) << "," << ass_time(end) << ",Default,,0,0,0,," << text
        << "\n";
    }
    i = j;
  }
  return o.str();
}

}  // namespace youtube
