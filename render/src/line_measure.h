// How wide a caption line is drawn: libass renders the line alone, in the style's font, size,
// outline and shadow, and the ink it covers is measured. The same libass, fonts and style as
// the burned-in subtitles, so a line measured to fit does fit.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

#include "automuse_render/timeline.h"
#include "libass_setup.h"

namespace automuse::render::detail {

class LineMeasure {
 public:
  // False with `error` set when libass cannot start or read the style.
  bool open(const SubtitleStyle &style, const Canvas &canvas,
            const std::optional<std::filesystem::path> &fonts_dir, std::string &error);
  // The width in pixels `text` needs drawn as one centred line (never wrapped): twice the
  // farther reach of its ink from the centre. Remembered per text.
  int width(const std::string &text);

 private:
  Libass ass_;
  std::unique_ptr<ASS_Track, void (*)(ASS_Track *)> track_{nullptr, ass_free_track};
  int x_ = 0, y_ = 0;
  std::unordered_map<std::string, int> widths_;
};

}  // namespace automuse::render::detail
