// The parts of an ASS script the renderer writes (ass_subtitles.cpp), shared with what measures
// caption lines, so both use the very same style.
#pragma once

#include <string>

#include "automuse_render/timeline.h"

namespace automuse::render::detail {

// [Script Info] (PlayRes = the canvas, no automatic wrapping), the "Default" style from
// `style`, and the [Events] format line.
std::string ass_header(const SubtitleStyle &style, const Canvas &canvas);

}  // namespace automuse::render::detail
