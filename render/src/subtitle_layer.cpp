// Subtitles through libass onto YUV frames (see subtitle_layer.h); the ASS text itself comes
// from the one builder, ass_subtitles.cpp.
#include "subtitle_layer.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "automuse_render/ass_subtitles.h"
#include "frame_ops.h"
#include "libass_setup.h"

namespace automuse::render::detail {
namespace {

// Whether an event's picture changes while it is shown: a scrolling effect, or override tags
// that move, fade, transform or karaoke-fill over time.
bool is_animated(const ASS_Event &e) {
  if (e.Effect && *e.Effect) return true;
  const std::string_view text = e.Text ? e.Text : "";
  for (std::string_view tag : {"\\t(", "\\move", "\\fad", "\\k", "\\K"})
    if (text.find(tag) != std::string_view::npos) return true;
  return false;
}

}  // namespace

SubtitleLayer::~SubtitleLayer() {
  if (track_) ass_free_track(track_);
}

bool SubtitleLayer::open(const Subtitles &subs, const Canvas &canvas, std::string &error) {
  if (!open_libass(ass_, canvas.width, canvas.height, subs.style.font, subs.fonts_dir, error))
    return false;
  std::string &script = script_;
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
    script = render::build_ass(subs.words, subs.style, canvas, subs.fonts_dir);
  }
  track_ = ass_read_memory(ass_.library.get(), script.data(), script.size(), nullptr);
  if (!track_ || track_->n_styles == 0) {
    error = "not a readable ASS script" +
            (subs.ass_file ? ": " + subs.ass_file->string() : std::string());
    return false;
  }
  animated_ = false;
  for (int i = 0; i < track_->n_events; ++i) {
    const ASS_Event &e = track_->events[i];
    animated_ = animated_ || is_animated(e);
    changes_.push_back(e.Start);
    changes_.push_back(e.Start + e.Duration);
  }
  std::sort(changes_.begin(), changes_.end());
  return true;
}

Rect SubtitleLayer::draw(double seconds, AVFrame *frame) {
  const long long ms = std::llround(seconds * 1000);
  if (animated_ || !overlay_valid_ || ms < steady_from_ || ms >= steady_until_) {
    int changed = 0;
    ASS_Image *img = ass_render_frame(ass_.renderer.get(), track_, ms, &changed);
    // libass says when the picture differs from the last call; most frames reuse the overlay.
    if (changed || !overlay_valid_) build_overlay(img, frame->width, frame->height);
    // The picture holds until the next event starts or ends.
    const auto next = std::upper_bound(changes_.begin(), changes_.end(), ms);
    steady_from_ = ms;
    steady_until_ = next == changes_.end() ? LLONG_MAX : *next;
  }
  if (ow_ <= 0 || oh_ <= 0) return {};
  for (int y = 0; y < oh_; ++y) {
    // Locals and __restrict: byte stores could alias the members and the overlay otherwise,
    // and the loop would not vectorise.
    const int x0 = luma_spans_[static_cast<size_t>(y)].first;
    const int x1 = luma_spans_[static_cast<size_t>(y)].end;
    uint8_t *__restrict row =
        frame->data[0] + static_cast<ptrdiff_t>(oy_ + y) * frame->linesize[0] + ox_;
    const uint16_t *__restrict a = luma_a_.data() + static_cast<size_t>(y) * ow_;
    const uint16_t *__restrict c = luma_c_.data() + static_cast<size_t>(y) * ow_;
    // The sum fits 16 bits (c <= 255 * a: colours are premultiplied), so the loop can work on
    // 16-bit lanes.
    for (int x = x0; x < x1; ++x)
      row[x] =
          static_cast<uint8_t>(static_cast<uint16_t>(row[x] * (256u - a[x]) + c[x] + 128u) >> 8);
  }
  const int cw = ow_ / 2;
  for (int y = 0; y < oh_ / 2; ++y) {
    const int x0 = chroma_spans_[static_cast<size_t>(y)].first;
    const int x1 = chroma_spans_[static_cast<size_t>(y)].end;
    uint8_t *__restrict ru =
        frame->data[1] + static_cast<ptrdiff_t>(oy_ / 2 + y) * frame->linesize[1] + ox_ / 2;
    uint8_t *__restrict rv =
        frame->data[2] + static_cast<ptrdiff_t>(oy_ / 2 + y) * frame->linesize[2] + ox_ / 2;
    const uint16_t *__restrict a = chroma_a_.data() + static_cast<size_t>(y) * cw;
    const uint16_t *__restrict cu = chroma_u_.data() + static_cast<size_t>(y) * cw;
    const uint16_t *__restrict cv = chroma_v_.data() + static_cast<size_t>(y) * cw;
    for (int x = x0; x < x1; ++x) {
      ru[x] =
          static_cast<uint8_t>(static_cast<uint16_t>(ru[x] * (256u - a[x]) + cu[x] + 128u) >> 8);
      rv[x] =
          static_cast<uint8_t>(static_cast<uint16_t>(rv[x] * (256u - a[x]) + cv[x] + 128u) >> 8);
    }
  }
  return Rect{ox_, oy_, ow_, oh_};
}

void SubtitleLayer::build_overlay(const ASS_Image *first, int width, int height) {
  overlay_valid_ = true;
  // The union of the images' boxes, widened to even coordinates for 4:2:0 chroma.
  const InkBox ink = ink_box(first);
  if (ink.empty()) {
    ox_ = oy_ = ow_ = oh_ = 0;
    return;
  }
  const int x0 = std::max(0, ink.x0) & ~1, y0 = std::max(0, ink.y0) & ~1;
  const int x1 = std::min(width, (ink.x1 + 1) & ~1), y1 = std::min(height, (ink.y1 + 1) & ~1);
  ox_ = x0, oy_ = y0, ow_ = x1 - x0, oh_ = y1 - y0;
  if (ow_ <= 0 || oh_ <= 0) return;
  // Composite every image, in order, into one premultiplied overlay ("over"), so each frame
  // needs a single blend pass however many glyph, outline and shadow images libass made.
  const size_t n = static_cast<size_t>(ow_) * oh_, cn = n / 4;
  std::vector<float> la(n, 0.f), ly(n, 0.f), ca(cn, 0.f), cu(cn, 0.f), cv(cn, 0.f);
  std::vector<float> cover(n);
  for (const ASS_Image *img = first; img; img = img->next) {
    const uint32_t c = img->color;
    const float opacity = static_cast<float>(255 - (c & 0xFF)) / 255.f;
    if (opacity <= 0 || img->w <= 0 || img->h <= 0) continue;
    const Yuv yuv = rgb_to_yuv709(static_cast<uint8_t>(c >> 24), static_cast<uint8_t>(c >> 16),
                                  static_cast<uint8_t>(c >> 8));
    // Only the image's own rectangle changes ("over" with zero coverage is the identity),
    // widened to even coordinates for the chroma samples it touches.
    const int ix0 = std::max(ox_, img->dst_x) - ox_,
              ix1 = std::min(ox_ + ow_, img->dst_x + img->w) - ox_;
    const int iy0 = std::max(oy_, img->dst_y) - oy_,
              iy1 = std::min(oy_ + oh_, img->dst_y + img->h) - oy_;
    if (ix0 >= ix1 || iy0 >= iy1) continue;
    const int ex0 = ix0 & ~1, ex1 = std::min(ow_, (ix1 + 1) & ~1);
    const int ey0 = iy0 & ~1, ey1 = std::min(oh_, (iy1 + 1) & ~1);
    const size_t stride = static_cast<size_t>(ow_);
    for (int y = ey0; y < ey1; ++y) {
      float *c = cover.data() + static_cast<size_t>(y) * stride;
      std::fill(c + ex0, c + ex1, 0.f);
      if (y < iy0 || y >= iy1) continue;
      const unsigned char *src =
          img->bitmap + (y + oy_ - img->dst_y) * img->stride - img->dst_x + ox_;
      for (int x = ix0; x < ix1; ++x) c[x] = src[x] / 255.f * opacity;
    }
    for (int y = ey0; y < ey1; ++y)
      for (size_t i = y * stride + static_cast<size_t>(ex0);
           i < y * stride + static_cast<size_t>(ex1); ++i) {
        const float a = cover[i];
        la[i] = a + la[i] * (1 - a);
        ly[i] = yuv.y * a + ly[i] * (1 - a);
      }
    const size_t cw = stride / 2;
    for (size_t y = static_cast<size_t>(ey0 / 2); y < static_cast<size_t>(ey1 / 2); ++y)
      for (size_t x = static_cast<size_t>(ex0 / 2); x < static_cast<size_t>(ex1 / 2); ++x) {
        const size_t i = 2 * y * stride + 2 * x;
        const float a = (cover[i] + cover[i + 1] + cover[i + stride] + cover[i + stride + 1]) / 4;
        const size_t k = y * cw + x;
        ca[k] = a + ca[k] * (1 - a);
        cu[k] = yuv.u * a + cu[k] * (1 - a);
        cv[k] = yuv.v * a + cv[k] * (1 - a);
      }
  }
  // Fixed point for the per-frame blend: alpha in 0..256, colours premultiplied by it.
  auto fix = [](const std::vector<float> &a, const std::vector<float> &v,
                std::vector<uint16_t> &out_a, std::vector<uint16_t> *out_v) {
    out_a.resize(a.size());
    if (out_v) out_v->resize(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      // Rounds like std::lround for these non-negative values (exact in double), without a
      // library call per sample.
      out_a[i] = static_cast<uint16_t>(static_cast<double>(a[i]) * 256 + 0.5);
      if (out_v) (*out_v)[i] = static_cast<uint16_t>(static_cast<double>(v[i]) * 256 + 0.5);
    }
  };
  fix(la, ly, luma_a_, &luma_c_);
  fix(ca, cu, chroma_a_, &chroma_u_);
  fix(ca, cv, chroma_a_, &chroma_v_);
  // Where a row has coverage (alpha 0 leaves a pixel as it is: c is premultiplied, so 0 too).
  auto spans = [](const std::vector<uint16_t> &alpha, int w, int h, std::vector<Span> &out) {
    out.assign(static_cast<size_t>(h), Span{});
    for (int y = 0; y < h; ++y) {
      const uint16_t *a = alpha.data() + static_cast<size_t>(y) * static_cast<size_t>(w);
      int first = 0, end = w;
      while (first < end && a[first] == 0) ++first;
      while (end > first && a[end - 1] == 0) --end;
      out[static_cast<size_t>(y)] = Span{first, end};
    }
  };
  spans(luma_a_, ow_, oh_, luma_spans_);
  spans(chroma_a_, ow_ / 2, oh_ / 2, chroma_spans_);
}

}  // namespace automuse::render::detail
