// plugins/youtube/subtitle_style.hpp — the Short's subtitles as the render timeline's
// "subtitles" object (docs/timeline.md): the spoken words as they are (the renderer drops
// emoji from captions), and the account's `subtitle_style` mapped to the timeline's style
// inside the Shorts safe area — above the bottom quarter (title, channel and description
// overlay) and clear of the like/comment/share buttons on the right. The renderer builds the ASS
// from it, burns it in and writes the copy the outbox keeps (subtitles.write_ass).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace youtube {

struct Word {
  std::string text;  // as written
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
// naming the account field.
SubtitleStyle parse_subtitle_style(const std::string &text);

// The timeline's subtitle style for a width x height canvas: explicit size, outline and
// shadow, the safe area as margins, as many characters per line as fit ("auto"), cards
// closed at sentence ends.
boost::json::object timeline_style(const SubtitleStyle &style, int width, int height);

// The timeline's "subtitles" object: {"words": [...], "style": {...}}.
boost::json::object timeline_subtitles(const std::vector<Word> &words, const SubtitleStyle &style,
                                       int width, int height);

}  // namespace youtube
