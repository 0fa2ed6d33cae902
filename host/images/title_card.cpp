// host/images/title_card.cpp — gradient painting, text with libass, PNG with libavcodec.
#include "images/title_card.hpp"

#include <automuse/cpp/error.hpp>

#include "automuse_render/ass_subtitles.h"

extern "C" {
#include <ass/ass.h>
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
}

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <fstream>
#include <memory>
#include <vector>

namespace automuse::images {
namespace {

const std::array<Palette, 8> kPalettes{{
    {"ocean", {0x0B, 0x3D, 0x91}, {0x00, 0xB4, 0xD8}},
    {"sunset", {0xC0, 0x39, 0x2B}, {0xF3, 0x9C, 0x12}},
    {"forest", {0x13, 0x4E, 0x2E}, {0x5B, 0xA8, 0x4C}},
    {"night", {0x14, 0x10, 0x3A}, {0x6A, 0x2C, 0x91}},
    {"rose", {0x8E, 0x24, 0x4D}, {0xF0, 0x6C, 0x8F}},
    {"gold", {0x7A, 0x4B, 0x00}, {0xE0, 0xA8, 0x2E}},
    {"slate", {0x1F, 0x2A, 0x38}, {0x4B, 0x6C, 0x8F}},
    {"teal", {0x0F, 0x4C, 0x5C}, {0x2E, 0xC4, 0xB6}},
}};

// Keywords that pick a palette by mood; checked in order.
const std::array<std::pair<const char *, const char *>, 24> kMoods{{
    {"ocean", "ocean"},    {"sea", "ocean"},     {"water", "ocean"},   {"sky", "ocean"},
    {"fire", "sunset"},    {"sun", "sunset"},    {"energy", "sunset"}, {"summer", "sunset"},
    {"forest", "forest"},  {"nature", "forest"}, {"plant", "forest"},  {"health", "forest"},
    {"night", "night"},    {"space", "night"},   {"star", "night"},    {"dream", "night"},
    {"love", "rose"},      {"heart", "rose"},    {"money", "gold"},    {"gold", "gold"},
    {"business", "slate"}, {"tech", "slate"},    {"science", "teal"},  {"calm", "teal"},
}};

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

struct Box {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
  bool empty() const { return x1 < x0; }
};

Box bounds(const ASS_Image *img) {
  Box b;
  for (; img; img = img->next) {
    if (img->w == 0 || img->h == 0) continue;
    b.x0 = std::min(b.x0, img->dst_x);
    b.y0 = std::min(b.y0, img->dst_y);
    b.x1 = std::max(b.x1, img->dst_x + img->w);
    b.y1 = std::max(b.y1, img->dst_y + img->h);
  }
  return b;
}

void paint_gradient(std::vector<uint8_t> &rgb, int w, int h, const Palette &p) {
  const double diag = std::hypot(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      // Diagonal blend, plus a soft vignette so the centre (where the text is) glows a little.
      double t = (x * 0.45 + y * 0.9) / (w * 0.45 + h * 0.9);
      double dx = x - w / 2.0, dy = y - h / 2.0;
      double r = (dx * dx + dy * dy) / (diag * diag / 4);
      double vignette = 1.0 - 0.35 * r;
      uint8_t *px = &rgb[(static_cast<size_t>(y) * w + x) * 3];
      auto mix = [&](uint8_t a, uint8_t b) {
        double v = (a + (b - a) * t) * vignette;
        return static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
      };
      px[0] = mix(p.from.r, p.to.r);
      px[1] = mix(p.from.g, p.to.g);
      px[2] = mix(p.from.b, p.to.b);
    }
  }
}

void blend(std::vector<uint8_t> &rgb, int w, int h, const ASS_Image *img) {
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

std::string encode_png(const std::vector<uint8_t> &rgb, int w, int h) {
  const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (!codec) throw am::error(AM_UNSUPPORTED, "FFmpeg has no PNG encoder");
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext *)> ctx(
      avcodec_alloc_context3(codec), [](AVCodecContext *c) { avcodec_free_context(&c); });
  ctx->width = w;
  ctx->height = h;
  ctx->pix_fmt = AV_PIX_FMT_RGB24;
  ctx->time_base = AVRational{1, 1};
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0)
    throw am::error(AM_INTERNAL, "cannot open the PNG encoder");
  std::unique_ptr<AVFrame, void (*)(AVFrame *)> frame(av_frame_alloc(),
                                                      [](AVFrame *f) { av_frame_free(&f); });
  frame->width = w;
  frame->height = h;
  frame->format = AV_PIX_FMT_RGB24;
  if (av_frame_get_buffer(frame.get(), 0) < 0) throw am::error(AM_NO_MEMORY, "frame buffer");
  for (int y = 0; y < h; ++y)
    std::copy_n(&rgb[static_cast<size_t>(y) * w * 3], static_cast<size_t>(w) * 3,
                frame->data[0] + static_cast<ptrdiff_t>(y) * frame->linesize[0]);
  std::unique_ptr<AVPacket, void (*)(AVPacket *)> pkt(av_packet_alloc(),
                                                      [](AVPacket *p) { av_packet_free(&p); });
  std::string out;
  if (avcodec_send_frame(ctx.get(), frame.get()) < 0 || avcodec_send_frame(ctx.get(), nullptr) < 0)
    throw am::error(AM_INTERNAL, "PNG encoding failed");
  while (avcodec_receive_packet(ctx.get(), pkt.get()) >= 0) {
    out.append(reinterpret_cast<const char *>(pkt->data), static_cast<size_t>(pkt->size));
    av_packet_unref(pkt.get());
  }
  if (out.empty()) throw am::error(AM_INTERNAL, "PNG encoder produced nothing");
  return out;
}

void write_atomically(const std::filesystem::path &path, const std::string &bytes) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw am::error(AM_IO, path.string() + ": cannot write");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw am::error(AM_IO, path.string() + ": cannot rename into place: " + ec.message());
  }
}

}  // namespace

std::string key_phrase(std::string_view prompt) {
  std::string p(prompt);
  // Drop leading boilerplate that describes the medium, not the subject.
  static const char *kLead[] = {"a photo of ",
                                "a photograph of ",
                                "an image of ",
                                "a picture of ",
                                "an illustration of ",
                                "illustration of ",
                                "a cinematic shot of ",
                                "cinematic ",
                                "photo of ",
                                "image of ",
                                "a close-up of ",
                                "close-up of ",
                                "a ",
                                "an ",
                                "the "};
  bool again = true;
  while (again) {
    again = false;
    std::string low = lower_ascii(p);
    for (const char *lead : kLead) {
      std::string_view l(lead);
      if (low.rfind(l, 0) == 0) {
        p.erase(0, l.size());
        again = true;
        break;
      }
    }
  }
  // The first clause.
  size_t cut = p.find_first_of(",.;:!?\n");
  for (const char *dash :
       {" - ", " \xE2\x80\x94 ", "\xE3\x80\x82", "\xE3\x80\x81", "\xEF\xBC\x8C"}) {
    size_t d = p.find(dash);
    if (d != std::string::npos) cut = std::min(cut, d);
  }
  if (cut != std::string::npos && cut > 0) p.resize(cut);
  // At most seven words.
  std::vector<std::string> words;
  size_t i = 0;
  while (i < p.size()) {
    while (i < p.size() && std::isspace(static_cast<unsigned char>(p[i]))) ++i;
    size_t j = i;
    while (j < p.size() && !std::isspace(static_cast<unsigned char>(p[j]))) ++j;
    if (j > i) words.push_back(p.substr(i, j - i));
    i = j;
  }
  std::string out;
  for (size_t k = 0; k < words.size() && k < 7; ++k) out += (k ? " " : "") + words[k];
  if (out.empty()) out = std::string(prompt.substr(0, std::min<size_t>(prompt.size(), 60)));
  if (!out.empty() && static_cast<unsigned char>(out[0]) < 0x80)
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

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

}  // namespace

Palette palette_for(std::string_view prompt) {
  std::string low = lower_ascii(prompt);
  for (const auto &[word, name] : kMoods)
    if (low.find(word) != std::string::npos)
      for (const Palette &p : kPalettes)
        if (p.name == name) return p;
  return kPalettes[fnv1a(prompt) % kPalettes.size()];
}

void render_title_card(std::string_view prompt, const std::filesystem::path &png,
                       const CardOptions &o) {
  if (o.width < 64 || o.height < 64 || o.width > 8192 || o.height > 8192)
    throw am::error(AM_INVALID_ARGUMENT, "size: card must be between 64 and 8192 pixels a side");
  const std::string phrase = key_phrase(prompt);
  if (phrase.empty()) throw am::error(AM_INVALID_ARGUMENT, "prompt: is empty");
  const Palette palette = palette_for(prompt);

  std::vector<uint8_t> rgb(static_cast<size_t>(o.width) * o.height * 3);
  paint_gradient(rgb, o.width, o.height, palette);

  std::unique_ptr<ASS_Library, void (*)(ASS_Library *)> lib(ass_library_init(), ass_library_done);
  if (!lib) throw am::error(AM_INTERNAL, "libass: cannot initialise");
  ass_set_message_cb(
      lib.get(), [](int, const char *, va_list, void *) {}, nullptr);
  std::unique_ptr<ASS_Renderer, void (*)(ASS_Renderer *)> renderer(ass_renderer_init(lib.get()),
                                                                   ass_renderer_done);
  ass_set_frame_size(renderer.get(), o.width, o.height);
  ass_set_fonts(renderer.get(), nullptr, o.font.c_str(), ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);

  // Largest type that fits in the safe area: start big, shrink until it fits.
  const int margin = o.width / 12;
  ASS_Image *images = nullptr;
  std::unique_ptr<ASS_Track, void (*)(ASS_Track *)> track(nullptr, ass_free_track);
  for (double size = o.height * 0.085; size >= o.height * 0.02; size *= 0.88) {
    int outline = std::max(2, static_cast<int>(size / 16));
    std::string script =
        "[Script Info]\nScriptType: v4.00+\nPlayResX: " + std::to_string(o.width) +
        "\nPlayResY: " + std::to_string(o.height) +
        "\nWrapStyle: 0\n\n[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, "
        "SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, "
        "ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
        "MarginR, MarginV, Encoding\nStyle: Card," +
        o.font + "," + std::to_string(static_cast<int>(size)) +
        ",&H00FFFFFF,&H00FFFFFF,&H50000000,&H78000000,-1,0,0,0,100,100,0,0,1," +
        std::to_string(outline) + "," + std::to_string(outline) + ",5," + std::to_string(margin) +
        "," + std::to_string(margin) +
        ",0,1\n\n[Events]\nFormat: Layer, Start, End, Style, "
        "Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:00.00,0:00:10.00,Card,,"
        "0,0,0,," +
        card_text(phrase) + "\n";
    track.reset(ass_read_memory(lib.get(), script.data(), script.size(), nullptr));
    if (!track) throw am::error(AM_INTERNAL, "libass: cannot read the card script");
    int changed = 0;
    images = ass_render_frame(renderer.get(), track.get(), 1000, &changed);
    Box b = bounds(images);
    if (b.empty()) throw am::error(AM_INTERNAL, "libass rendered no text (no usable font?)");
    bool fits = b.x0 >= margin / 2 && b.x1 <= o.width - margin / 2 && b.y1 - b.y0 <= o.height * 0.6;
    if (fits) break;
  }
  blend(rgb, o.width, o.height, images);
  write_atomically(png, encode_png(rgb, o.width, o.height));
}

}  // namespace automuse::images
