// host/subtitles/caption_style.cpp — the style model's names, colours and JSON (parsed by the
// renderer's own style parser, so both accept exactly the same fields).
#include "subtitles/caption_style.hpp"

#include <automuse_render/ass_subtitles.h>

#include <cstdio>

#include "speech/word_timing.hpp"

namespace automuse::subtitles {

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

int chars_per_line(const CaptionStyle &style, int width, int height) {
  render::Canvas canvas;
  canvas.width = width, canvas.height = height;
  return render::subtitle_chars_per_line(style, canvas);
}

CaptionStyle caption_style_from_json(std::string_view text, CaptionStyle st) {
  if (auto e = render::parse_subtitle_style(text, st, "style"))
    throw speech::SpeechError(e->path, e->message);
  return st;
}

}  // namespace automuse::subtitles
