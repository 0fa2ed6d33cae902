// host/images/title_card.cpp — gradient painting, the text drawn by the renderer
// (automuse_render/title_text.h), PNG with libavcodec.
#include "images/title_card.hpp"

#include <automuse/cpp/error.hpp>

#include "automuse_render/title_text.h"
#include "core/atomic_file.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
}

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <stdexcept>
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
  try {
    core::write_file_atomically(path, bytes, core::kSharedFile);
  } catch (const std::runtime_error &e) {
    throw am::error(AM_IO, e.what());
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

  render::RgbPicture picture{o.width, o.height,
                             std::vector<uint8_t>(static_cast<size_t>(o.width) * o.height * 3)};
  paint_gradient(picture.rgb, o.width, o.height, palette);
  const std::string error = render::draw_title_text(picture, phrase, o.font);
  if (!error.empty()) throw am::error(AM_INTERNAL, error);
  write_atomically(png, encode_png(picture.rgb, o.width, o.height));
}

}  // namespace automuse::images
