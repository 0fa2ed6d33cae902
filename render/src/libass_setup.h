// libass set up the renderer's way, for everything that draws or measures text with it (burned-in
// subtitles, caption line widths, title text): its messages through the renderer's log, the
// given font as the default family (found through fontconfig), an optional extra fonts folder.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

extern "C" {
#include <ass/ass.h>
}

namespace automuse::render::detail {

struct Libass {
  std::unique_ptr<ASS_Library, void (*)(ASS_Library *)> library{nullptr, ass_library_done};
  std::unique_ptr<ASS_Renderer, void (*)(ASS_Renderer *)> renderer{nullptr, ass_renderer_done};
};

// libass for a width x height frame (1 script pixel = 1 frame pixel when the script's PlayRes
// is the same size); false with `error` set when libass cannot start.
bool open_libass(Libass &ass, int width, int height, const std::string &font,
                 const std::optional<std::filesystem::path> &fonts_dir, std::string &error);

// The pixels a rendered picture covers, [x0, x1) x [y0, y1); empty when nothing is drawn.
struct InkBox {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -(1 << 30), y1 = -(1 << 30);
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  int width() const { return empty() ? 0 : x1 - x0; }
  int height() const { return empty() ? 0 : y1 - y0; }
};
InkBox ink_box(const ASS_Image *first);

}  // namespace automuse::render::detail
