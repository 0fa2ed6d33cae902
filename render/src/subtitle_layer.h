// Burned-in subtitles: the ASS script built from word timings and a style (ass_subtitles.h)
// or loaded from a file, rendered with libass and blended onto yuv420p frames.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "automuse_render/timeline.h"
#include "av_util.h"
#include "frame_ops.h"
#include "libass_setup.h"

namespace automuse::render::detail {

class SubtitleLayer {
 public:
  ~SubtitleLayer();
  // Loads the script; false with `error` set if libass cannot read it.
  bool open(const Subtitles &subtitles, const Canvas &canvas, std::string &error);
  // The ASS text that is burned in (for subtitles.write_ass).
  const std::string &script() const { return script_; }
  // Draws the subtitles due at `seconds` onto `frame` (yuv420p, canvas size); returns the
  // rectangle it drew over (empty when none are due).
  Rect draw(double seconds, AVFrame *frame);

 private:
  Libass ass_;
  std::string script_;
  ASS_Track *track_ = nullptr;
  void build_overlay(const ASS_Image *first, int width, int height);

  // The current subtitle picture as one premultiplied overlay over the box (ox_, oy_, ow_, oh_).
  bool overlay_valid_ = false;
  int ox_ = 0, oy_ = 0, ow_ = 0, oh_ = 0;
  // A script without animation looks the same between two event starts or ends: those times
  // (ms, sorted) and the span the overlay was made for let most frames skip libass.
  bool animated_ = true;
  std::vector<long long> changes_;
  long long steady_from_ = 0, steady_until_ = -1;
  std::vector<uint16_t> luma_a_, luma_c_, chroma_a_, chroma_u_, chroma_v_;
  // Per overlay row (luma, then chroma), the columns [first, end) with any coverage: text
  // lines of different lengths and the gaps between them leave much of the box transparent,
  // and the per-frame blend skips it.
  struct Span {
    int first = 0, end = 0;
  };
  std::vector<Span> luma_spans_, chroma_spans_;
};

}  // namespace automuse::render::detail
