// host/subtitles/caption_style.hpp — how captions look: the renderer's own subtitle style
// (automuse_render/timeline.h, "subtitles.style" in timeline JSON), so the captions service
// and the renderer read, and draw, one model.
#pragma once

#include <automuse_render/timeline.h>

#include <string>
#include <string_view>

namespace automuse::subtitles {

using Rgba = render::Color;
using CaptionPosition = render::SubtitlePosition;
using CaptionStyle = render::SubtitleStyle;

// "#RRGGBBAA"
std::string to_hex(Rgba c);

// "top" | "center" | "lower_third" | "bottom"
const char *position_name(CaptionPosition p);

// Characters per caption line: the style's, or for "auto" (0) as many as fit between its side
// margins on a width x height canvas (the renderer's rule).
int chars_per_line(const CaptionStyle &style, int width, int height);

// Reads the renderer's style object ({"font","size","color":"#RRGGBB[AA]",...}, every field of
// docs/timeline.md); fields left out keep `base`'s values. Throws speech::SpeechError naming
// the field ("style.color").
CaptionStyle caption_style_from_json(std::string_view json, CaptionStyle base = {});

}  // namespace automuse::subtitles
