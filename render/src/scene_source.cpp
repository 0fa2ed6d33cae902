// Still-image (Ken Burns, pan) and video-clip scene sources (see scene_source.h).
#include "scene_source.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "automuse_render/media_open.h"
#include "frame_ops.h"
#include "media_input.h"
#include "scaler.h"
#include "zoom_scaler.h"

namespace automuse::render::detail {
namespace {

int even_round(double v) {
  return static_cast<int>(std::lround(v / 2)) * 2;
}

std::string size_text(int w, int h) {
  return std::to_string(w) + "x" + std::to_string(h);
}

// Says that `picture` is enlarged `factor` times to fill `big` (the canvas plus the motion's
// margin), and what size would not need it.
std::string enlargement_warning(const Scene &scene, const Canvas &canvas, const AVFrame &picture,
                                const AVFrame &big, double factor) {
  char times[32];
  std::snprintf(times, sizeof times, "%.1fx", factor);
  std::string target = size_text(big.width, big.height);
  if (big.width != canvas.width || big.height != canvas.height)
    target += " (the " + size_text(canvas.width, canvas.height) + " canvas and its motion margin)";
  const auto need = [&](int v) { return static_cast<int>(std::ceil(v * factor)); };
  return scene.source.string() + " is " + size_text(picture.width, picture.height) + ", enlarged " +
         times + (scene.fit == Fit::kCover ? " to cover " : " to fit in ") + target +
         "; it will look soft (drawn with a bicubic scaler): a picture of " +
         size_text(need(picture.width), need(picture.height)) + " or more needs no enlarging";
}

// The image is decoded once and fitted to the canvas enlarged by the motion strength; each
// frame is then a window of that, resampled to the canvas with sub-pixel precision (see
// zoom_scaler.h). Once the window stops moving (the motion time is over, or there is no
// motion) the resampled picture is kept and copied instead of resampled again.
class StillImage : public SceneSource {
 public:
  StillImage(const Scene &scene, const Canvas &canvas, FramePtr prepared)
      : motion_(scene.motion), w_(canvas.width), h_(canvas.height), big_(std::move(prepared)) {}

  void draw(double, double p, AVFrame *dst, FrameMemo &memo) override {
    const Window win = window(std::clamp(p, 0.0, 1.0));
    const bool same = have_last_ && win == last_;
    last_ = win;
    have_last_ = true;
    if (!same) {
      held_.reset();
      draw_window(win, dst);
      memo.picture = 0;
      return;
    }
    if (!held_) {  // the second frame at this window: keep the picture from now on
      held_ = make_yuv_frame(w_, h_);
      held_id_ = new_picture_id();
      draw_window(win, held_.get());
    }
    if (memo.picture == held_id_)
      copy_rect(held_.get(), memo.drawn_over, dst);  // a recycled copy: repair what was drawn over
    else
      copy_region(held_.get(), 0, 0, dst);
    memo.picture = held_id_;
  }

 private:
  Window window(double p) const {
    const double bw = big_->width, bh = big_->height;
    double cw = w_, ch = h_;
    double fx = 0.5, fy = 0.5;  // where the window sits in the free margin, 0..1
    switch (motion_) {
      case Motion::kZoomIn:
      case Motion::kZoomOut: {
        const double z = motion_ == Motion::kZoomIn ? p : 1.0 - p;
        cw = bw + (w_ - bw) * z;
        ch = bh + (h_ - bh) * z;
        break;
      }
      case Motion::kPanLeft:
        fx = p;
        break;  // the picture moves left: the window moves right
      case Motion::kPanRight:
        fx = 1.0 - p;
        break;
      case Motion::kPanUp:
        fy = p;
        break;
      case Motion::kPanDown:
        fy = 1.0 - p;
        break;
      case Motion::kNone:
        break;
    }
    cw = std::min(cw, bw);
    ch = std::min(ch, bh);
    return Window{(bw - cw) * fx, (bh - ch) * fy, cw, ch};
  }

  void draw_window(const Window &win, AVFrame *dst) {
    // A canvas-sized window at even whole pixels is a plain copy.
    const auto x = static_cast<int>(win.x), y = static_cast<int>(win.y);
    if (win.w == w_ && win.h == h_ && win.x == x && win.y == y && x % 2 == 0 && y % 2 == 0)
      copy_region(big_.get(), x, y, dst);
    else
      scaler_.scale(big_.get(), win, dst);
  }

  Motion motion_;
  int w_, h_;
  FramePtr big_, held_;
  uint64_t held_id_ = 0;
  ZoomScaler scaler_;
  Window last_;
  bool have_last_ = false;
};

// Sequential decoding of a clip: frame times come in increasing order, so it only moves
// forward, seeking back to the trim start when it loops.
class VideoClip : public SceneSource {
 public:
  bool open(const Scene &scene, const Canvas &canvas, std::string &error) {
    path_ = scene.source;
    fit_ = scene.fit;
    background_ = canvas.background;
    loop_ = scene.loop;
    trim_start_ = scene.trim_start;
    AVFormatContext *fmt = nullptr;
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) {
      error = "file not found: " + path_.string();
      return false;
    }
    std::string why;
    int ret = open_media_file(&fmt, path_, kVideoFile, why);
    if (ret < 0) {
      error = "cannot open " + path_.string() + ": " + why;
      return false;
    }
    in_.reset(fmt);
    if ((ret = avformat_find_stream_info(fmt, nullptr)) < 0) {
      error = "cannot read " + path_.string() + ": " + av_error(ret);
      return false;
    }
    stream_ = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (stream_ < 0) {
      error = "no video stream in " + path_.string();
      return false;
    }
    AVStream *st = fmt->streams[stream_];
    tb_ = av_q2d(st->time_base);
    start_pts_ = st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time;
    const AVCodec *codec = find_decoder(st);  // libvpx's for VP9 with alpha
    if (!codec) {
      error = "no decoder for " + path_.string();
      return false;
    }
    dec_.reset(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(dec_.get(), st->codecpar);
    dec_->thread_count = 1;
    if ((ret = avcodec_open2(dec_.get(), codec, nullptr)) < 0) {
      error = "cannot open decoder for " + path_.string() + ": " + av_error(ret);
      return false;
    }
    double file_duration =
        fmt->duration > 0 ? static_cast<double>(fmt->duration) / AV_TIME_BASE : 0;
    double end = scene.trim_end > 0 ? scene.trim_end : file_duration;
    if (file_duration > 0 && trim_start_ >= file_duration) {
      error = "trim_start is past the end of " + path_.string();
      return false;
    }
    loop_length_ = end > trim_start_ ? end - trim_start_ : 0;
    scaled_ = make_yuv_frame(canvas.width, canvas.height);
    cur_ = make_frame();
    next_ = make_frame();
    seek_to_start();
    // Proves the clip decodes before anything is encoded.
    if (!advance(next_.get())) {
      error = "no decodable picture in " + path_.string();
      return false;
    }
    have_next_ = true;
    return true;
  }

  void draw(double local, double, AVFrame *dst, FrameMemo &memo) override {
    memo.picture = 0;
    local = std::max(0.0, local);
    // Time inside the clip, relative to the trim start, modulo the loop.
    double t = local;
    if (loop_ && loop_length_ > 0) {
      double cycle = std::floor(t / loop_length_);
      if (cycle > cycle_) {
        cycle_ = cycle;
        seek_to_start();
        have_cur_ = false;
        have_next_ = advance(next_.get());
      }
      t -= cycle_ * loop_length_;
    } else if (loop_length_ > 0) {
      t = std::min(t, loop_length_);
    }
    // Move forward while the next frame is due.
    while (have_next_ && frame_time(next_.get()) <= t + 1e-6) {
      std::swap(cur_, next_);
      have_cur_ = true;
      dirty_ = true;
      have_next_ = advance(next_.get());
    }
    if (!have_cur_ && have_next_) {  // before the first frame (its timestamp is late)
      std::swap(cur_, next_);
      have_cur_ = true;
      dirty_ = true;
      have_next_ = advance(next_.get());
    }
    if (dirty_ && have_cur_) {
      fit_picture(cur_.get(), fit_, background_, scaled_.get(), fit_cache_);
      dirty_ = false;
    }
    copy_region(scaled_.get(), 0, 0, dst);
  }

 private:
  double frame_time(const AVFrame *f) const {
    int64_t pts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (pts == AV_NOPTS_VALUE) return 0;
    return (pts - start_pts_) * tb_ - trim_start_;
  }

  void seek_to_start() {
    int64_t ts = start_pts_ + static_cast<int64_t>(trim_start_ / tb_);
    av_seek_frame(in_.get(), stream_, ts, AVSEEK_FLAG_BACKWARD);
    avcodec_flush_buffers(dec_.get());
    eof_ = false;
  }

  // Decodes the next frame at or after the trim start (and before the trim end); false at end.
  bool advance(AVFrame *out) {
    PacketPtr pkt = make_packet();
    while (true) {
      int ret = avcodec_receive_frame(dec_.get(), out);
      if (ret == 0) {
        double t = frame_time(out);
        if (loop_length_ > 0 && t >= loop_length_ - 1e-6) return false;
        if (t < -1e-6) continue;  // decoded from the key frame before the trim start
        return true;
      }
      if (ret != AVERROR(EAGAIN)) return false;
      if (eof_) return false;
      feed_decoder(in_.get(), dec_.get(), pkt.get(), stream_, eof_);
    }
  }

  std::filesystem::path path_;
  Fit fit_ = Fit::kCover;
  Color background_{};
  bool loop_ = true;
  double trim_start_ = 0, loop_length_ = 0, tb_ = 0, cycle_ = 0;
  int64_t start_pts_ = 0;
  InputPtr in_;
  CodecPtr dec_;
  int stream_ = -1;
  bool eof_ = false, have_cur_ = false, have_next_ = false, dirty_ = false;
  FramePtr cur_, next_, scaled_;
  FitCache fit_cache_;
};

}  // namespace

std::unique_ptr<SceneSource> open_scene(const Scene &scene, const Canvas &canvas,
                                        std::string &error, std::string &warning) {
  if (scene.kind == Scene::Kind::kVideo) {
    auto clip = std::make_unique<VideoClip>();
    if (!clip->open(scene, canvas, error)) return nullptr;
    return clip;
  }
  FramePtr picture = decode_image(scene.source, error);
  if (!picture) return nullptr;
  const double k = 1.0 + scene.motion_strength;
  FramePtr big = make_yuv_frame(std::max(canvas.width, even_round(canvas.width * k)),
                                std::max(canvas.height, even_round(canvas.height * k)));
  const double factor =
      fit_factor(picture->width, picture->height, big->width, big->height, scene.fit);
  const bool enlarged = factor > kSharpScaleFactor;
  if (enlarged) warning = enlargement_warning(scene, canvas, *picture, *big, factor);
  try {
    FitCache cache;
    fit_picture(picture.get(), scene.fit, canvas.background, big.get(), cache,
                enlarged ? kSharpScale : kFastScale);
  } catch (const CodecError &e) {
    error = std::string(e.what()) + " for " + scene.source.string();
    return nullptr;
  }
  return std::make_unique<StillImage>(scene, canvas, std::move(big));
}

}  // namespace automuse::render::detail
