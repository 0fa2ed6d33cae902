// plugins/youtube/subtitle_style.cpp — the account's subtitle style and the timeline's
// "subtitles" object in the Shorts safe area.
#include "subtitle_style.hpp"

#include <algorithm>
#include <automuse/cpp/error.hpp>
#include <cctype>
#include <cmath>

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

// Fractions with four decimals: the timeline stays readable.
double fraction(double f) {
  return std::round(f * 10000) / 10000;
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

json::object timeline_style(const SubtitleStyle &style, int width, int height) {
  const SafeArea area = safe_area(width, height);
  const int size =
      style.size > 0
          ? style.size
          : std::max(8, static_cast<int>(std::lround(height * (width < height ? 0.040 : 0.060))));
  const double outline = std::max(1.0, size / 12.0);
  return json::object{{"font", style.font},
                      {"size", size},
                      {"color", style.color},
                      {"highlight_color", style.highlight_color},
                      {"outline_color", style.outline_color},
                      {"outline", fraction(outline)},
                      {"shadow", fraction(std::max(1.0, outline / 2))},
                      {"bold", style.bold},
                      {"position", "bottom"},
                      {"margin_left", fraction(area.left)},
                      {"margin_right", fraction(1 - area.right)},
                      {"margin_vertical", fraction(1 - area.bottom)},
                      {"max_chars_per_line", "auto"},
                      {"max_lines", style.max_lines},
                      {"break_at_sentences", true}};
}

json::object timeline_subtitles(const std::vector<Word> &words, const SubtitleStyle &style,
                                int width, int height) {
  // The words as spoken; the renderer drops what subtitle fonts cannot show (emoji).
  json::array shown;
  for (const Word &w : words)
    shown.push_back(json::object{{"text", w.text}, {"start", w.start}, {"end", w.end}});
  return json::object{{"words", std::move(shown)}, {"style", timeline_style(style, width, height)}};
}

}  // namespace youtube
