// host/images/title_card.hpp — offline "cards": a full-frame gradient background whose palette
// follows the prompt's mood, with the prompt's key phrase set large in the middle (drawn by
// the renderer, automuse_render/title_text.h: libass with fontconfig fallback for non-Latin
// scripts), saved as PNG.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace automuse::images {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

struct Palette {
  std::string name;
  Rgb from, to;  // gradient, top-left to bottom-right
};

struct CardOptions {
  int width = 1080;
  int height = 1920;
  std::string font = "DejaVu Sans";
};

// The words worth showing: boilerplate like "a photo of" dropped, the first clause, at most
// about seven words, first letter capitalised.
std::string key_phrase(std::string_view prompt);

// A palette picked by keywords in the prompt (ocean -> blues, fire -> warm ...), otherwise by
// a hash of it, so the same prompt always gets the same card.
Palette palette_for(std::string_view prompt);

// Renders the card and writes a PNG (temporary file, then rename). Throws am::error.
void render_title_card(std::string_view prompt, const std::filesystem::path &png,
                       const CardOptions &options = {});

}  // namespace automuse::images
