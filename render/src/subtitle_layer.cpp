// ASS generation from word timings, libass rendering and YUV blending (see subtitle_layer.h).
#include "subtitle_layer.h"

extern "C" {
#include <ass/ass.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "frame_ops.h"

namespace automuse::render::detail {
namespace {

// ASS colours are &HAABBGGRR with AA = transparency.
std::string ass_color(const Color &c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "&H%02X%02X%02X%02X", 255 - c.a, c.b, c.g, c.r);
  return buf;
}

std::string ass_time(double s) {
  long cs = std::max(0L, std::lround(s * 100));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld.%02ld", cs / 360000, (cs / 6000) % 60,
                (cs / 100) % 60, cs % 100);
  return buf;
}

// Word text with ASS control characters neutralised.
std::string ass_escape(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '{')
      out += "(";
    else if (c == '}')
      out += ")";
    else if (c == '\\')
      out += "/";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

size_t utf8_length(const std::string &s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string build_ass(const Subtitles &subs, const Canvas &canvas) {
  const SubtitleStyle &st = subs.style;
  const int size =
      st.size > 0 ? st.size : std::max(8, static_cast<int>(std::lround(canvas.height * 0.042)));
  const double outline = st.outline > 0 ? st.outline : std::max(1.0, size / 14.0);
  int alignment = 2, margin_v = 0;
  switch (st.position) {
    case SubtitlePosition::kTop:
      alignment = 8, margin_v = static_cast<int>(canvas.height * 0.12);
      break;
    case SubtitlePosition::kCenter:
      alignment = 5, margin_v = 0;
      break;
    // Above the bottom quarter, where Shorts overlays its buttons and caption.
    case SubtitlePosition::kLowerThird:
      alignment = 2, margin_v = static_cast<int>(canvas.height * 0.30);
      break;
    case SubtitlePosition::kBottom:
      alignment = 2, margin_v = static_cast<int>(canvas.height * 0.08);
      break;
  }
  const int margin_h = static_cast<int>(canvas.width * 0.06);
  std::ostringstream o;
  o << "[Script Info]\nScriptType: v4.00+\nPlayResX: " << canvas.width
    << "\nPlayResY: " << canvas.height << "\nWrapStyle: 0\nScaledBorderAndShadow: yes\n\n"
    << "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
       "OutlineColour, "
       "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
       "BorderStyle, "
       "Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    << "Style: Default," << st.font << "," << size << "," << ass_color(st.color) << ","
    << ass_color(st.highlight_color) << "," << ass_color(st.outline_color) << ",&H80000000,"
    << (st.bold ? -1 : 0) << ",0,0,0,100,100,0,0,1," << outline << "," << st.shadow << ","
    << alignment << "," << margin_h << "," << margin_h << "," << margin_v << ",1\n\n"
    << "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
       "Text\n";

  // Group words into cards of at most max_lines lines of max_chars_per_line characters; a
  // long pause also starts a new card so text never hangs over silence.
  const auto &words = subs.words;
  const std::string hl = "{\\1c" + ass_color(st.highlight_color) + "&}";
  const std::string normal = "{\\1c" + ass_color(st.color) + "&}";
  size_t i = 0;
  while (i < words.size()) {
    std::vector<std::vector<size_t>> lines(1);
    size_t line_len = 0, j = i;
    for (; j < words.size(); ++j) {
      if (j > i && words[j].start - words[j - 1].end > 1.0) break;
      size_t len = utf8_length(words[j].text);
      size_t need = line_len == 0 ? len : line_len + 1 + len;
      if (line_len > 0 && need > static_cast<size_t>(st.max_chars_per_line)) {
        if (static_cast<int>(lines.size()) >= st.max_lines) break;
        lines.emplace_back();
        need = len;
      }
      lines.back().push_back(j);
      line_len = need;
    }
    // One event per word: the whole card, with that word highlighted, until the next word.
    for (size_t k = i; k < j; ++k) {
      double start = words[k].start;
      double end = k + 1 < j ? words[k + 1].start : words[k].end + 0.25;
      if (k + 1 == j && j < words.size()) end = std::min(end, words[j].start);
      if (end <= start) end = start + 0.01;
      std::string text;
      for (size_t l = 0; l < lines.size(); ++l) {
        if (l) text += "\\N";
        for (size_t w = 0; w < lines[l].size(); ++w) {
          size_t idx = lines[l][w];
          if (w) text += ' ';
          if (idx == k)
            text += hl + ass_escape(words[idx].text) + normal;
          else
            text += ass_escape(words[idx].text);
        }
      }
      o << "Dialogue: 0," << ass_time(start) << "," << ass_time(end) << ",Default,,0,0,0,," << text
        << "\n";
    }
    i = j;
  }
  return o.str();
}

SubtitleLayer::~SubtitleLayer() {
  if (track_) ass_free_track(track_);
  if (renderer_) ass_renderer_done(renderer_);
  if (library_) ass_library_done(library_);
}

bool SubtitleLayer::open(const Subtitles &subs, const Canvas &canvas, std::string &error) {
  library_ = ass_library_init();
  if (!library_) {
    error = "cannot initialise libass";
    return false;
  }
  ass_set_message_cb(
      library_, [](int, const char *, va_list, void *) {}, nullptr);
  if (subs.fonts_dir) ass_set_fonts_dir(library_, subs.fonts_dir->c_str());
  renderer_ = ass_renderer_init(library_);
  if (!renderer_) {
    error = "cannot initialise the libass renderer";
    return false;
  }
  ass_set_frame_size(renderer_, canvas.width, canvas.height);
  ass_set_storage_size(renderer_, canvas.width, canvas.height);
  ass_set_fonts(renderer_, nullptr, subs.style.font.c_str(), ASS_FONTPROVIDER_AUTODETECT, nullptr,
                1);
  std::string script;
  if (subs.ass_file) {
    std::ifstream in(*subs.ass_file, std::ios::binary);
    if (!in) {
      error = "file not found: " + subs.ass_file->string();
      return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    script = ss.str();
  } else {
    script = build_ass(subs, canvas);
  }
  track_ = ass_read_memory(library_, script.data(), script.size(), nullptr);
  if (!track_ || track_->n_styles == 0) {
    error = "not a readable ASS script" +
            (subs.ass_file ? ": " + subs.ass_file->string() : std::string());
    return false;
  }
  return true;
}

void SubtitleLayer::draw(double seconds, AVFrame *frame) {
  int changed = 0;
  ASS_Image *img = ass_render_frame(renderer_, track_, std::llround(seconds * 1000), &changed);
  for (; img; img = img->next) {
    const uint32_t c = img->color;
    const unsigned opacity = 255 - (c & 0xFF);
    if (opacity == 0 || img->w <= 0 || img->h <= 0) continue;
    const Yuv yuv = rgb_to_yuv709(static_cast<uint8_t>(c >> 24), static_cast<uint8_t>(c >> 16),
                                  static_cast<uint8_t>(c >> 8));
    // The image's box on the frame, widened to even coordinates for 4:2:0 chroma.
    const int x0 = std::max(0, img->dst_x) & ~1, y0 = std::max(0, img->dst_y) & ~1;
    const int x1 = std::min(frame->width, (img->dst_x + img->w + 1) & ~1);
    const int y1 = std::min(frame->height, (img->dst_y + img->h + 1) & ~1);
    if (x1 <= x0 || y1 <= y0) continue;
    const int bw = x1 - x0, bh = y1 - y0;
    // Coverage (0..255, opacity applied) over the even box, zero outside the bitmap.
    alpha_.assign(static_cast<size_t>(bw) * bh, 0);
    for (int y = std::max(y0, img->dst_y); y < std::min(y1, img->dst_y + img->h); ++y) {
      const unsigned char *src = img->bitmap + (y - img->dst_y) * img->stride;
      uint8_t *dst = alpha_.data() + static_cast<size_t>(y - y0) * bw;
      for (int x = std::max(x0, img->dst_x); x < std::min(x1, img->dst_x + img->w); ++x)
        dst[x - x0] = static_cast<uint8_t>((src[x - img->dst_x] * opacity + 127) / 255);
    }
    for (int y = 0; y < bh; ++y) {
      uint8_t *row = frame->data[0] + static_cast<ptrdiff_t>(y0 + y) * frame->linesize[0] + x0;
      const uint8_t *a = alpha_.data() + static_cast<size_t>(y) * bw;
      for (int x = 0; x < bw; ++x)
        row[x] = static_cast<uint8_t>((row[x] * (255u - a[x]) + yuv.y * a[x] + 127) / 255);
    }
    // Chroma: each sample covers 2x2 luma pixels; use their mean coverage.
    for (int cy = 0; cy < bh / 2; ++cy) {
      uint8_t *ru =
          frame->data[1] + static_cast<ptrdiff_t>(y0 / 2 + cy) * frame->linesize[1] + x0 / 2;
      uint8_t *rv =
          frame->data[2] + static_cast<ptrdiff_t>(y0 / 2 + cy) * frame->linesize[2] + x0 / 2;
      const uint8_t *a0 = alpha_.data() + static_cast<size_t>(2 * cy) * bw, *a1 = a0 + bw;
      for (int cx = 0; cx < bw / 2; ++cx) {
        const unsigned a = (a0[2 * cx] + a0[2 * cx + 1] + a1[2 * cx] + a1[2 * cx + 1] + 2) / 4;
        ru[cx] = static_cast<uint8_t>((ru[cx] * (255u - a) + yuv.u * a + 127) / 255);
        rv[cx] = static_cast<uint8_t>((rv[cx] * (255u - a) + yuv.v * a + 127) / 255);
      }
    }
  }
}

}  // namespace automuse::render::detail
