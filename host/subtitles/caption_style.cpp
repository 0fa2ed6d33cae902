// host/subtitles/caption_style.cpp — the style model's names, colours and JSON.
#include "subtitles/caption_style.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "speech/word_timing.hpp"

namespace automuse::subtitles {

using speech::SpeechError;
namespace json = boost::json;

std::string to_hex(Rgba c) {
  char buf[10];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X%02X", c.r, c.g, c.b, c.a);
  return buf;
}

const char *position_name(CaptionPosition p) {
  switch (p) {
    case CaptionPosition::kTop:
      return "top";
    case CaptionPosition::kCenter:
      return "center";
    case CaptionPosition::kBottom:
      return "bottom";
    default:
      return "lower_third";
  }
}

namespace {

Rgba parse_hex(const json::value &v, const std::string &where) {
  const json::string *s = v.if_string();
  auto bad = [&] {
    return SpeechError(where, "must be a colour like \"#RRGGBB\" or \"#RRGGBBAA\"");
  };
  if (!s || (s->size() != 7 && s->size() != 9) || (*s)[0] != '#') throw bad();
  unsigned parts[4] = {0, 0, 0, 255};
  for (size_t i = 0; i * 2 + 1 < s->size(); ++i) {
    unsigned byte = 0;
    for (size_t k = 0; k < 2; ++k) {
      char c = (*s)[1 + i * 2 + k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) throw bad();
      byte = byte * 16 + static_cast<unsigned>(d);
    }
    parts[i] = byte;
  }
  return {static_cast<uint8_t>(parts[0]), static_cast<uint8_t>(parts[1]),
          static_cast<uint8_t>(parts[2]), static_cast<uint8_t>(parts[3])};
}

double number(const json::value &v, const std::string &where, double lo, double hi) {
  if (!v.is_number()) throw SpeechError(where, "must be a number");
  double d = v.to_number<double>();
  if (d < lo || d > hi)
    throw SpeechError(where,
                      "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return d;
}

}  // namespace

CaptionStyle caption_style_from_json(std::string_view text, CaptionStyle st) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) throw SpeechError("style", "not valid JSON: " + ec.message());
  const json::object *o = root.if_object();
  if (!o) throw SpeechError("style", "must be an object");
  for (const auto &[key, v] : *o) {
    std::string where = "style." + std::string(key);
    if (key == "font") {
      if (!v.is_string()) throw SpeechError(where, "must be a string");
      st.font = std::string(v.get_string());
    } else if (key == "size") {
      st.size = static_cast<int>(number(v, where, 0, 1000));
    } else if (key == "color") {
      st.color = parse_hex(v, where);
    } else if (key == "highlight_color") {
      st.highlight_color = parse_hex(v, where);
    } else if (key == "outline_color") {
      st.outline_color = parse_hex(v, where);
    } else if (key == "outline") {
      st.outline = number(v, where, 0, 100);
    } else if (key == "shadow") {
      st.shadow = number(v, where, 0, 100);
    } else if (key == "bold") {
      if (!v.is_bool()) throw SpeechError(where, "must be true or false");
      st.bold = v.get_bool();
    } else if (key == "position") {
      const json::string *s = v.if_string();
      if (s && *s == "top")
        st.position = CaptionPosition::kTop;
      else if (s && *s == "center")
        st.position = CaptionPosition::kCenter;
      else if (s && *s == "lower_third")
        st.position = CaptionPosition::kLowerThird;
      else if (s && *s == "bottom")
        st.position = CaptionPosition::kBottom;
      else
        throw SpeechError(where, "must be one of top, center, lower_third, bottom");
    } else if (key == "max_chars_per_line") {
      st.max_chars_per_line = static_cast<int>(number(v, where, 4, 200));
    } else if (key == "max_lines") {
      st.max_lines = static_cast<int>(number(v, where, 1, 5));
    } else {
      throw SpeechError(where, "unknown style field");
    }
  }
  return st;
}

}  // namespace automuse::subtitles
