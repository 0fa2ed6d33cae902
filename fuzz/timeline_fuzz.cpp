// fuzz/timeline_fuzz.cpp — the render timeline JSON (render/src/timeline_parse.cpp):
// parse_timeline and parse_subtitle_style on any text. Invariants: a failure always says why;
// a parsed canvas is opaque; a subtitle style that parses, written back by subtitle_style_json,
// parses to the same style.
#include <boost/json/parse.hpp>
#include <string>
#include <string_view>

#include "automuse_render/timeline.h"
#include "fuzz_check.hpp"
#include "json_equal.hpp"

namespace ar = automuse::render;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const ar::ParseResult r = ar::parse_timeline(text, "/fuzz/timeline");
  FUZZ_CHECK(r.timeline.has_value() != r.error.has_value(), "a timeline or an error, not both");
  if (r.error) FUZZ_CHECK(!r.error->message.empty(), "a parse error says why");
  if (r.timeline) {
    FUZZ_CHECK(!r.timeline->scenes.empty(), "a parsed timeline has scenes");
    FUZZ_CHECK(r.timeline->total_duration() >= 0, "durations are not negative");
    FUZZ_CHECK(r.timeline->canvas.background.a == 255, "the canvas is opaque");
  }

  ar::SubtitleStyle style;
  if (!ar::parse_subtitle_style(text, style, "style")) {
    const std::string written = ar::subtitle_style_json(style);
    ar::SubtitleStyle again;
    FUZZ_CHECK(!ar::parse_subtitle_style(written, again, "again"), "written style parses");
    FUZZ_CHECK(fuzz::json_equal(boost::json::parse(ar::subtitle_style_json(again)),
                                boost::json::parse(written)),
               "written style parses the same");
  }
  return 0;
}
