// host/subtitles/caption_files.cpp — SRT, ASS and renderer JSON output.
#include "subtitles/caption_files.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace automuse::subtitles {

using speech::SpeechError;

std::string srt_time(double seconds) {
  long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld,%03lld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, ms % 1000);
  return buf;
}

std::string ass_time(double seconds) {
  long long cs = std::llround(std::max(0.0, seconds) * 100.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld.%02lld", cs / 360000, cs / 6000 % 60,
                cs / 100 % 60, cs % 100);
  return buf;
}

std::string to_srt(const std::vector<Caption> &captions) {
  std::ostringstream out;
  int n = 1;
  for (const Caption &c : captions) {
    out << n++ << "\n" << srt_time(c.start) << " --> " << srt_time(c.end) << "\n";
    for (const auto &l : c.lines) out << l << "\n";
    out << "\n";
  }
  return out.str();
}

namespace {

double parse_srt_time(std::string_view t, const std::string &where) {
  unsigned h, m, s, ms;
  char sep;
  std::string buf(t);
  if (std::sscanf(buf.c_str(), "%u:%u:%u%c%u", &h, &m, &s, &sep, &ms) != 5 ||
      (sep != ',' && sep != '.') || m > 59 || s > 59 || ms > 999)
    throw SpeechError(where, "bad time \"" + buf + "\"");
  return h * 3600.0 + m * 60.0 + s + ms / 1000.0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

}  // namespace

std::vector<SrtEntry> parse_srt(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= text.size();) {
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(trim(text.substr(at, nl - at)));
    at = nl + 1;
  }
  std::vector<SrtEntry> out;
  size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].empty()) {
      ++i;
      continue;
    }
    std::string where = "srt line " + std::to_string(i + 1);
    SrtEntry e;
    try {
      size_t used = 0;
      e.index = std::stoi(std::string(lines[i]), &used);
      if (used != lines[i].size()) throw std::invalid_argument("trailing");
    } catch (const std::exception &) {
      throw SpeechError(where, "expected a cue number");
    }
    if (++i >= lines.size()) throw SpeechError(where, "cue without timing line");
    where = "srt line " + std::to_string(i + 1);
    size_t arrow = lines[i].find("-->");
    if (arrow == std::string_view::npos) throw SpeechError(where, "expected \"start --> end\"");
    e.start = parse_srt_time(trim(lines[i].substr(0, arrow)), where);
    e.end = parse_srt_time(trim(lines[i].substr(arrow + 3)), where);
    if (e.end < e.start) throw SpeechError(where, "cue ends before it starts");
    for (++i; i < lines.size() && !lines[i].empty(); ++i) e.lines.emplace_back(lines[i]);
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

// ASS colours are &HAABBGGRR with alpha inverted (00 = opaque).
std::string ass_color(Rgba c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "&H%02X%02X%02X%02X", 255 - c.a, c.b, c.g, c.r);
  return buf;
}

// Override blocks and line breaks are markup in ASS: a word must not open one.
std::string ass_escape(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '{')
      out += '(';
    else if (c == '}')
      out += ')';
    else if (c == '\\')
      out += '/';
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string to_ass(const std::vector<Caption> &captions, const std::vector<WordTiming> &words,
                   const CaptionStyle &st, int width, int height) {
  int size = st.size > 0 ? st.size : std::max(8, static_cast<int>(std::lround(height * 0.042)));
  double outline = st.outline > 0 ? st.outline : size / 14.0;
  int alignment = 2, margin_v = height / 20;
  switch (st.position) {
    case CaptionPosition::kTop:
      alignment = 8;
      break;
    case CaptionPosition::kCenter:
      alignment = 5;
      margin_v = 0;
      break;
    case CaptionPosition::kLowerThird:
      margin_v = height / 4;
      break;
    case CaptionPosition::kBottom:
      break;
  }
  std::ostringstream o;
  o << "[Script Info]\nScriptType: v4.00+\nPlayResX: " << width << "\nPlayResY: " << height
    << "\nWrapStyle: 2\nScaledBorderAndShadow: yes\n\n[V4+ Styles]\n"
    << "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
       "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
       "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    << "Style: Default," << st.font << "," << size << "," << ass_color(st.color) << ","
    << ass_color(st.highlight_color) << "," << ass_color(st.outline_color) << ",&H80000000,"
    << (st.bold ? -1 : 0) << ",0,0,0,100,100,0,0,1," << outline << "," << st.shadow << ","
    << alignment << "," << width / 16 << "," << width / 16 << "," << margin_v << ",1\n\n[Events]\n"
    << "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
  const std::string on = "{\\1c" + ass_color(st.highlight_color) + "}";
  const std::string off = "{\\1c" + ass_color(st.color) + "}";
  for (const Caption &c : captions) {
    for (size_t k = 0; k < c.word_count; ++k) {
      size_t wi = c.first_word + k;
      double start = k == 0 ? c.start : words[wi].start;
      double end = k + 1 < c.word_count ? words[wi + 1].start : c.end;
      if (end <= start) continue;
      std::string text;
      int line = 0;
      for (size_t j = 0; j < c.word_count; ++j) {
        int l = c.word_places[j].first;
        if (j > 0) text += l != line ? "\\N" : " ";
        line = l;
        std::string w = ass_escape(words[c.first_word + j].text);
        text += j == k ? on + w + off : w;
      }
      o << "Dialogue: 0," << ass_time(start) << "," << ass_time(end) << ",Default,,0,0,0,," << text
        << "\n";
    }
  }
  return o.str();
}

std::string renderer_subtitles_json(const std::vector<WordTiming> &words, const CaptionStyle &st) {
  namespace json = boost::json;
  json::array ws;
  for (const WordTiming &w : words)
    ws.push_back(json::object{{"text", w.text}, {"start", w.start}, {"end", w.end}});
  json::object style{{"font", st.font},
                     {"size", st.size},
                     {"color", to_hex(st.color)},
                     {"highlight_color", to_hex(st.highlight_color)},
                     {"outline_color", to_hex(st.outline_color)},
                     {"outline", st.outline},
                     {"shadow", st.shadow},
                     {"bold", st.bold},
                     {"position", position_name(st.position)},
                     {"max_chars_per_line", st.max_chars_per_line},
                     {"max_lines", st.max_lines}};
  return json::serialize(json::object{{"words", std::move(ws)}, {"style", std::move(style)}});
}

std::string cards_to_json(const std::vector<Caption> &captions) {
  namespace json = boost::json;
  json::array out;
  for (const Caption &c : captions) {
    json::array lines;
    for (const auto &l : c.lines) lines.push_back(json::string(l));
    out.push_back(json::object{{"start", c.start},
                               {"end", c.end},
                               {"lines", std::move(lines)},
                               {"first_word", c.first_word},
                               {"word_count", c.word_count}});
  }
  return json::serialize(out);
}

}  // namespace automuse::subtitles
