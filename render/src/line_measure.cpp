// Caption line widths measured with libass (see line_measure.h).
#include "line_measure.h"

#include <algorithm>

#include "ass_script.h"
#include "automuse_render/ass_subtitles.h"

namespace automuse::render::detail {

bool LineMeasure::open(const SubtitleStyle &style, const Canvas &canvas,
                       const std::optional<std::filesystem::path> &fonts_dir, std::string &error) {
  // A frame wide enough for a long line: libass clips at the frame, and a clipped line is
  // still measured wider than any caption line may be.
  Canvas wide = canvas;
  wide.width = std::max(4096, canvas.width * 4);
  if (!open_libass(ass_, wide.width, canvas.height, style.font, fonts_dir, error)) return false;
  // The font size and outline follow the real canvas's height, which `wide` keeps.
  std::string header = ass_header(style, wide);
  track_.reset(ass_read_memory(ass_.library.get(), header.data(), header.size(), nullptr));
  if (!track_ || track_->n_styles == 0) {
    error = "libass cannot read the subtitle style";
    return false;
  }
  x_ = wide.width / 2;
  y_ = canvas.height / 2;
  return true;
}

int LineMeasure::width(const std::string &text) {
  if (text.empty()) return 0;
  if (auto it = widths_.find(text); it != widths_.end()) return it->second;
  ass_flush_events(track_.get());
  // Centred on x_ as the renderer centres a line between the margins; the ink reaches out by
  // outline, shadow and overhangs unevenly, so the width that must fit is twice the farther
  // side.
  std::string event = "Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,{\\an5\\pos(" +
                      std::to_string(x_) + "," + std::to_string(y_) + ")}" + ass_escape(text);
  ass_process_data(track_.get(), event.data(), static_cast<int>(event.size()));
  int changed = 0;
  const InkBox ink = ink_box(ass_render_frame(ass_.renderer.get(), track_.get(), 500, &changed));
  const int w = ink.empty() ? 0 : 2 * std::max(x_ - ink.x0, ink.x1 - x_);
  widths_.emplace(text, w);
  return w;
}

}  // namespace automuse::render::detail
