// host/subtitles/caption_style.hpp — how captions look: the same model as the renderer's
// "subtitles.style" in timeline JSON (font, size, colours, outline, position, line limits),
// including the colour of the word being spoken.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace automuse::subtitles {

struct Rgba {
  uint8_t r = 255, g = 255, b = 255, a = 255;
};

enum class CaptionPosition { kTop, kCenter, kLowerThird, kBottom };

struct CaptionStyle {
  std::string font = "DejaVu Sans";
  int size = 0;  // pixels; 0 = 4.2% of the canvas height (the renderer's default)
  Rgba color{255, 255, 255, 255};
  Rgba highlight_color{255, 214, 0, 255};
  Rgba outline_color{0, 0, 0, 255};
  double outline = 0;  // pixels; 0 = size / 14
  double shadow = 0;
  bool bold = true;
  CaptionPosition position = CaptionPosition::kLowerThird;
  int max_chars_per_line = 22;
  int max_lines = 2;
};

// "#RRGGBBAA"
std::string to_hex(Rgba c);

// "top" | "center" | "lower_third" | "bottom"
const char *position_name(CaptionPosition p);

// Reads the renderer's style object ({"font","size","color":"#RRGGBB[AA]",...}); fields left
// out keep `base`'s values. Throws speech::SpeechError naming the field ("style.color").
CaptionStyle caption_style_from_json(std::string_view json, CaptionStyle base = {});

}  // namespace automuse::subtitles
