// libass set up the renderer's way (see libass_setup.h).
#include "libass_setup.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string_view>

#include "log_bridge.h"

namespace automuse::render::detail {
namespace {

// libass's messages (font fallbacks, script problems) through the renderer's log.
// Levels: 0 fatal, 1 error, 2 warning, 4 info, 6 verbose, 7 debug.
void ass_message(int level, const char *fmt, va_list args, void *) {
  const LogLevel l = level <= 1   ? LogLevel::kError
                     : level <= 3 ? LogLevel::kWarning
                     : level <= 5 ? LogLevel::kInfo
                                  : LogLevel::kDebug;
  if (!log_enabled(l)) return;
  char text[1024];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  std::vsnprintf(text, sizeof text, fmt, args);
#pragma GCC diagnostic pop
  std::string_view m(text);
  while (!m.empty() && m.back() == '\n') m.remove_suffix(1);
  log_message(l, "[libass] " + std::string(m));
}

}  // namespace

bool open_libass(Libass &ass, int width, int height, const std::string &font,
                 const std::optional<std::filesystem::path> &fonts_dir, std::string &error) {
  ass.library.reset(ass_library_init());
  if (!ass.library) {
    error = "cannot initialise libass";
    return false;
  }
  ass_set_message_cb(ass.library.get(), ass_message, nullptr);
  if (fonts_dir) ass_set_fonts_dir(ass.library.get(), fonts_dir->c_str());
  ass.renderer.reset(ass_renderer_init(ass.library.get()));
  if (!ass.renderer) {
    error = "cannot initialise the libass renderer";
    return false;
  }
  ass_set_frame_size(ass.renderer.get(), width, height);
  ass_set_storage_size(ass.renderer.get(), width, height);
  ass_set_fonts(ass.renderer.get(), nullptr, font.c_str(), ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
  return true;
}

InkBox ink_box(const ASS_Image *img) {
  InkBox b;
  for (; img; img = img->next) {
    if (img->w <= 0 || img->h <= 0 || (img->color & 0xFF) == 0xFF) continue;
    b.x0 = std::min(b.x0, img->dst_x), b.y0 = std::min(b.y0, img->dst_y);
    b.x1 = std::max(b.x1, img->dst_x + img->w), b.y1 = std::max(b.y1, img->dst_y + img->h);
  }
  return b;
}

}  // namespace automuse::render::detail
