// host/speech/caption_formats.cpp — am_speech.captions' outputs through the renderer's caption
// rules.
#include "speech/caption_formats.hpp"

#include <automuse_render/ass_subtitles.h>
#include <automuse_render/captions.h>

#include <automuse/cpp/str.hpp>
#include <boost/json.hpp>

namespace automuse::speech {
namespace json = boost::json;

namespace {

std::vector<render::Word> render_words(const std::vector<WordTiming> &words) {
  std::vector<render::Word> out;
  out.reserve(words.size());
  for (const WordTiming &w : words) out.push_back(render::Word{w.text, w.start, w.end});
  return out;
}

// [{"start","end","lines":[...],"first_word","word_count"}...]: the words a card shows, as
// indices into the word timings.
std::string cards_json(const std::vector<render::SubtitleCard> &cards) {
  json::array out;
  for (const render::SubtitleCard &c : cards) {
    json::array lines;
    for (const auto &line : c.lines) lines.push_back(json::string(render::line_text(line)));
    const size_t first = c.lines.front().front().word, last = c.lines.back().back().word;
    out.push_back(json::object{{"start", c.start},
                               {"end", c.end},
                               {"lines", std::move(lines)},
                               {"first_word", first},
                               {"word_count", last - first + 1}});
  }
  return json::serialize(out);
}

}  // namespace

render::SubtitleStyle caption_style(const am_caption_request &req) {
  render::SubtitleStyle style;
  if (req.style_json.len > 0)
    if (auto e = render::parse_subtitle_style(am::to_string(req.style_json), style, "style"))
      throw SpeechError(e->path, e->message);
  if (req.max_chars_per_line > 0) style.max_chars_per_line = req.max_chars_per_line;
  if (req.max_lines > 0) style.max_lines = req.max_lines;
  style.max_words = req.max_words > 0 ? req.max_words : style.max_words > 0 ? style.max_words : 8;
  style.min_duration = req.min_duration > 0     ? req.min_duration
                       : style.min_duration > 0 ? style.min_duration
                                                : 0.7;
  return style;
}

render::Canvas caption_canvas(const am_caption_request &req) {
  render::Canvas canvas;
  canvas.width = req.width > 0 ? req.width : 1080;
  canvas.height = req.height > 0 ? req.height : 1920;
  return canvas;
}

std::string caption_output(am_caption_format format, const std::vector<WordTiming> &words,
                           const render::SubtitleStyle &style, const render::Canvas &canvas) {
  if (format == AM_CAPTIONS_RENDER_JSON) return renderer_subtitles_json(words, style);
  if (format != AM_CAPTIONS_SRT && format != AM_CAPTIONS_ASS && format != AM_CAPTIONS_CARDS_JSON)
    throw SpeechError("format", "unknown caption format " + std::to_string(format));
  const auto cards = render::subtitle_cards(render_words(words), style, canvas);
  if (format == AM_CAPTIONS_SRT) return render::build_srt(cards);
  if (format == AM_CAPTIONS_ASS) return render::build_ass(cards, style, canvas);
  return cards_json(cards);
}

std::string renderer_subtitles_json(const std::vector<WordTiming> &words,
                                    const render::SubtitleStyle &st) {
  json::array ws;
  for (const WordTiming &w : words)
    ws.push_back(json::object{{"text", w.text}, {"start", w.start}, {"end", w.end}});
  return json::serialize(json::object{{"words", std::move(ws)},
                                      {"style", json::parse(render::subtitle_style_json(st))}});
}

}  // namespace automuse::speech
