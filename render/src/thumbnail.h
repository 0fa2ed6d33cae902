// Writes one yuv420p frame as a PNG or JPEG still (by the path's extension), atomically.
#pragma once

#include <filesystem>

#include "av_util.h"

namespace automuse::render::detail {

void write_thumbnail(const AVFrame *frame, const std::filesystem::path &path);

}  // namespace automuse::render::detail
