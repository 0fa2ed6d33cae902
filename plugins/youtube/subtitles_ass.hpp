// plugins/youtube/subtitles_ass.hpp — word-highlighted subtitles as an ASS script placed in
// the Shorts safe area: above the bottom quarter (title, channel and description overlay)
// and clear of the like/comment/share buttons on the right. The renderer's own subtitle
// styles centre text between equal side margins, which would run under the buttons, so the
// plugin writes the ASS itself and hands the renderer the file.
#pragma once

#include <string>
#include <vector>

namespace youtube {

struct Word {
  std::string text;  // as written; emoji are stripped here, words left empty are not shown
  double start = 0;
  double end = 0;
};

struct SubtitleStyle {
  std::string font = "DejaVu Sans";
  int size = 0;  // pixels; 0: 4% of the canvas height (6% of a landscape one)
  std::string color = "#FFFFFF";
  std::string highlight_color = "#FFD400";
  std::string outline_color = "#000000";
  bool bold = true;
  int max_lines = 2;
};

// The safe area as fractions of the canvas, for checks and tests.
struct SafeArea {
  double left, right, top, bottom;  // text stays within [left, right] x [top, bottom]
};
SafeArea safe_area(int width, int height);

// A style from the account's `subtitle_style`: empty for the default, a preset name
// ("yellow", "white", "green", "pink") or a JSON object with any of font, size, color,
// highlight_color, outline_color, bold, max_lines. Throws am::error(AM_INVALID_ARGUMENT)
// naming the field.
SubtitleStyle parse_subtitle_style(const std::string &text);

// The ASS script: one card of up to max_lines lines at a time, one event per word with that
// word in the highlight colour.
std::string build_ass(const std::vector<Word> &words, int width, int height,
                      const SubtitleStyle &style);

}  // namespace youtube
