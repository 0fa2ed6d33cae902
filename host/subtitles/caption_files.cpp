// host/subtitles/caption_files.cpp — SRT, ASS (through the renderer's builder) and renderer
// JSON output.
#include "subtitles/caption_files.hpp"

#include <automuse_render/ass_subtitles.h>

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

std::string to_ass(const std::vector<Caption> &captions, const std::vector<WordTiming> &words,
                   const CaptionStyle &style, int width, int height) {
  // The renderer's builder over these cards, so the file and the burned-in subtitles are
  // written by the same code.
  std::vector<render::Word> ws;
  ws.reserve(words.size());
  for (const WordTiming &w : words) ws.push_back(render::Word{w.text, w.start, w.end});
  std::vector<render::SubtitleCard> cards;
  for (const Caption &c : captions) {
    render::SubtitleCard card{c.start, c.end, {}};
    for (size_t j = 0; j < c.word_count; ++j) {
      const size_t line = static_cast<size_t>(c.word_places[j].first);
      if (card.lines.size() <= line) card.lines.resize(line + 1);
      card.lines[line].push_back(c.first_word + j);
    }
    cards.push_back(std::move(card));
  }
  render::Canvas canvas;
  canvas.width = width, canvas.height = height;
  return render::build_ass(ws, cards, style, canvas);
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
                     {"margin_left", st.margin_left},
                     {"margin_right", st.margin_right},
                     {"max_lines", st.max_lines},
                     {"break_at_sentences", st.break_at_sentences}};
  if (st.margin_vertical) style["margin_vertical"] = *st.margin_vertical;
  if (st.max_chars_per_line > 0)
    style["max_chars_per_line"] = st.max_chars_per_line;
  else
    style["max_chars_per_line"] = "auto";
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
