// Title text through libass onto RGB pictures (see automuse_render/title_text.h).
#include "automuse_render/title_text.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "automuse_render/ass_subtitles.h"
#include "libass_setup.h"

namespace automuse::render {
namespace {

// The code point starting at s[i] (UTF-8; 0 for a continuation byte) and its length.
std::pair<uint32_t, size_t> code_point(const std::string &s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(i + k < s.size() ? s[i + k] : 0); };
  unsigned char c = b(0);
  if (c < 0x80) return {c, 1};
  if ((c & 0xE0) == 0xC0) return {((c & 0x1Fu) << 6) | (b(1) & 0x3Fu), 2};
  if ((c & 0xF0) == 0xE0) return {((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu), 3};
  if ((c & 0xF8) == 0xF0)
    return {((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu),
            4};
  return {0, 1};
}

// Scripts written without spaces, where a line may break between any two characters.
bool breaks_anywhere(uint32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) ||  // kana
         (cp >= 0x3400 && cp <= 0x9FFF) ||  // CJK ideographs
         (cp >= 0xAC00 && cp <= 0xD7AF) ||  // Hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

// Closing marks that must not start a line.
bool no_break_before(uint32_t cp) {
  return (cp >= 0x3001 && cp <= 0x3002) || cp == 0xFF0C || cp == 0xFF0E || cp == 0xFF01 ||
         cp == 0xFF1F || cp == 0x30FC || cp == 0x300D || cp == 0x300F;
}

// A break opportunity between two CJK characters, as ASS text: libass only wraps at spaces
// (this build has no Unicode line breaking), so a space squeezed to a fifth of its width.
constexpr char kCjkBreak = '\x01';
const char *kCjkBreakAss = "{\\fscx20} {\\fscx100}";

// Type only wraps at spaces: a word too long for a line would force tiny type, so break it
// after its hyphens, or every kMaxRun characters with a hyphen; CJK text may break between
// any two characters (marked kCjkBreak).
std::string breakable(const std::string &phrase) {
  constexpr size_t kMaxRun = 12;
  std::string out;
  size_t run = 0;  // code points since the last break opportunity
  bool prev_cjk = false;
  for (size_t i = 0; i < phrase.size();) {
    auto [cp, len] = code_point(phrase, i);
    char c = phrase[i];
    if (c == ' ') {
      out += c;
      run = 0;
      prev_cjk = false;
      ++i;
      continue;
    }
    bool cjk = breaks_anywhere(cp);
    if ((prev_cjk || (cjk && run > 0)) && !no_break_before(cp)) {
      out += kCjkBreak;
      run = 0;
    } else if (run >= kMaxRun) {
      out += "- ";
      run = 0;
    }
    out.append(phrase, i, len);
    ++run;
    if (c == '-' && run > 3 && i + 1 < phrase.size() && phrase[i + 1] != ' ') {
      out += ' ';
      run = 0;
    }
    prev_cjk = cjk;
    i += len;
  }
  return out;
}

// ass_escape, then the CJK break marks as squeezed spaces.
std::string card_text(const std::string &phrase) {
  std::string escaped = render::ass_escape(breakable(phrase)), out;
  for (char c : escaped) {
    if (c == kCjkBreak)
      out += kCjkBreakAss;
    else
      out += c;
  }
  return out;
}

std::string title_script(const RgbPicture &p, const std::string &font, int size, int margin,
                         const std::string &phrase) {
  const int outline = std::max(2, size / 16);
  return "[Script Info]\nScriptType: v4.00+\nPlayResX: " + std::to_string(p.width) +
         "\nPlayResY: " + std::to_string(p.height) +
         "\nWrapStyle: 0\n\n[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, "
         "SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, "
         "ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
         "MarginR, MarginV, Encoding\nStyle: Card," +
         font + "," + std::to_string(size) +
         ",&H00FFFFFF,&H00FFFFFF,&H50000000,&H78000000,-1,0,0,0,100,100,0,0,1," +
         std::to_string(outline) + "," + std::to_string(outline) + ",5," + std::to_string(margin) +
         "," + std::to_string(margin) +
         ",0,1\n\n[Events]\nFormat: Layer, Start, End, Style, "
         "Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:00.00,0:00:10.00,Card,,"
         "0,0,0,," +
         card_text(phrase) + "\n";
}

void blend(RgbPicture &p, const ASS_Image *img) {
  std::vector<uint8_t> &rgb = p.rgb;
  const int w = p.width, h = p.height;
  for (; img; img = img->next) {
    const uint32_t c = img->color;
    const int r = c >> 24, g = (c >> 16) & 0xff, b = (c >> 8) & 0xff;
    const int opacity = 255 - static_cast<int>(c & 0xff);
    for (int y = 0; y < img->h; ++y) {
      int dy = img->dst_y + y;
      if (dy < 0 || dy >= h) continue;
      for (int x = 0; x < img->w; ++x) {
        int dx = img->dst_x + x;
        if (dx < 0 || dx >= w) continue;
        int a = img->bitmap[y * img->stride + x] * opacity / 255;
        if (a == 0) continue;
        uint8_t *px = &rgb[(static_cast<size_t>(dy) * w + dx) * 3];
        px[0] = static_cast<uint8_t>((px[0] * (255 - a) + r * a) / 255);
        px[1] = static_cast<uint8_t>((px[1] * (255 - a) + g * a) / 255);
        px[2] = static_cast<uint8_t>((px[2] * (255 - a) + b * a) / 255);
      }
    }
  }
}

}  // namespace

std::string draw_title_text(RgbPicture &picture, const std::string &phrase,
                            const std::string &font) {
  detail::Libass ass;
  std::string error;
  if (!detail::open_libass(ass, picture.width, picture.height, font, std::nullopt, error))
    return error;
  // Largest type that fits in the safe area: start big, shrink until it fits.
  const int margin = picture.width / 12;
  ASS_Image *images = nullptr;
  std::unique_ptr<ASS_Track, void (*)(ASS_Track *)> track(nullptr, ass_free_track);
  for (double size = picture.height * 0.085; size >= picture.height * 0.02; size *= 0.88) {
    std::string script = title_script(picture, font, static_cast<int>(size), margin, phrase);
    track.reset(ass_read_memory(ass.library.get(), script.data(), script.size(), nullptr));
    if (!track) return "libass: cannot read the card script";
    int changed = 0;
    images = ass_render_frame(ass.renderer.get(), track.get(), 1000, &changed);
    const detail::InkBox b = detail::ink_box(images);
    if (b.empty()) return "libass rendered no text (no usable font?)";
    if (b.x0 >= margin / 2 && b.x1 <= picture.width - margin / 2 &&
        b.height() <= picture.height * 0.6)
      break;
  }
  blend(picture, images);
  return {};
}

}  // namespace automuse::render
