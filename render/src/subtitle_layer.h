// Burned-in subtitles: builds an ASS script from word timings and a style (karaoke-style
// highlight of the word being spoken) or loads an ASS file, renders it with libass and
// blends the result onto yuv420p frames.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "automuse_render/timeline.h"
#include "av_util.h"

struct ass_library;
struct ass_renderer;
struct ass_track;

namespace automuse::render::detail {

std::string build_ass(const Subtitles &subtitles, const Canvas &canvas);

class SubtitleLayer {
 public:
  ~SubtitleLayer();
  // Loads the script; false with `error` set if libass cannot read it.
  bool open(const Subtitles &subtitles, const Canvas &canvas, std::string &error);
  // Draws the subtitles due at `seconds` onto `frame` (yuv420p, canvas size).
  void draw(double seconds, AVFrame *frame);

 private:
  ass_library *library_ = nullptr;
  ass_renderer *renderer_ = nullptr;
  ass_track *track_ = nullptr;
  std::vector<uint8_t> alpha_;  // scratch coverage of one libass image
};

}  // namespace automuse::render::detail
