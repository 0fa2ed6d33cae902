// Writes one yuv420p frame as a PNG or JPEG still (by the target's extension) into a temporary
// file, which the render renames into place with the video.
#pragma once

#include <filesystem>

#include "av_util.h"
#include "temp_file.h"

namespace automuse::render::detail {

void write_thumbnail(const AVFrame *frame, TempFile &file);

}  // namespace automuse::render::detail
