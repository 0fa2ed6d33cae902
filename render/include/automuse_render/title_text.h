// Title text drawn by the renderer: a phrase set as large as fits in the middle of an RGB
// picture (white, bold, outlined and shadowed), with the renderer's libass set-up and
// fontconfig fallback for other scripts. The host's offline title cards are drawn with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace automuse::render {

struct RgbPicture {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3 bytes, rows top to bottom
};

// Draws `phrase` centred on `picture` in `font`: the largest type (8.5% of the height down to
// 2%) whose lines stay clear of the sides (1/24 of the width) and within 60% of the height.
// Lines break at spaces, after hyphens, between CJK characters, and inside runs over 12
// characters. Returns an empty string, or what failed ("libass rendered no text ...").
std::string draw_title_text(RgbPicture &picture, const std::string &phrase,
                            const std::string &font = "DejaVu Sans");

}  // namespace automuse::render
