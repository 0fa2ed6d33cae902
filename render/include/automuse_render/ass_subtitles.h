// The one ASS subtitle writer: caption cards (captions.h) + a SubtitleStyle + the canvas -> an
// ASS script with the word being spoken highlighted (one event per word). The renderer burns
// what it writes; the host's `am_speech.captions` and `subtitles.write_ass` hand out the same
// text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "automuse_render/captions.h"
#include "automuse_render/timeline.h"

namespace automuse::render {

// Text made safe for an ASS Dialogue line: override braces become parentheses, backslashes
// slashes and line breaks spaces, so no text can restyle or break the script.
std::string ass_escape(const std::string &text);

// The font size in pixels: style.size, or 4.2% of the canvas height.
int subtitle_font_size(const SubtitleStyle &style, const Canvas &canvas);

// The script for these cards: one event per piece of a card, from the piece's start (the
// card's start for its first piece) to the next piece's start (the card's end for its last
// piece), showing the card with that piece's word in highlight_color. Lines break only where
// the cards break them (libass does not wrap).
std::string build_ass(const std::vector<SubtitleCard> &cards, const SubtitleStyle &style,
                      const Canvas &canvas);

// build_ass over subtitle_cards: what the renderer burns for "subtitles.words".
std::string build_ass(const std::vector<Word> &words, const SubtitleStyle &style,
                      const Canvas &canvas,
                      const std::optional<std::filesystem::path> &fonts_dir = {});

}  // namespace automuse::render
