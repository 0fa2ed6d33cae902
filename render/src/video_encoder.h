// The render's H.264 encoder: libx264, or a hardware encoder (NVENC, VAAPI, QSV) named by the
// timeline or found by `auto`, which tries them in order and keeps the first that opens. Takes
// the compositor's yuv420p frames and uploads them where the hardware wants its own.
#pragma once

#include <string>
#include <vector>

#include "automuse_render/render.h"
#include "automuse_render/timeline.h"
#include "av_util.h"

extern "C" {
#include <libavutil/buffer.h>
}

namespace automuse::render::detail {

struct BufferDeleter {
  void operator()(AVBufferRef *b) const { av_buffer_unref(&b); }
};
using BufferPtr = std::unique_ptr<AVBufferRef, BufferDeleter>;

struct EncoderRequest {
  VideoEncoder choice = VideoEncoder::kLibx264;
  int width = 0, height = 0, fps = 30;
  std::string preset;  // x264's name; mapped for the hardware (docs/timeline.md)
  int crf = 23;
  int threads = 0;  // libx264's; 0 = automatic
  bool global_header = false;
  std::vector<std::string> fail_at_open;  // RenderOptions::debug_fail_encoders
};

class H264Encoder {
 public:
  // Opens the encoder `request` names, or for kAuto the first candidate that opens. Every
  // candidate tried is appended to `tried` with its outcome, also when this throws: a
  // CodecError naming the encoder and why it could not be opened.
  H264Encoder(const EncoderRequest &request, std::vector<EncoderCandidate> &tried);

  AVCodecContext *context() const { return ctx_.get(); }
  const std::string &name() const { return name_; }
  // Sends one yuv420p frame (null flushes); avcodec_send_frame's result.
  int send(AVFrame *frame);

 private:
  // Opens one candidate; returns why it cannot be used, or "" when it is open.
  std::string try_open(VideoEncoder kind, const EncoderRequest &request);
  int send_uploaded(AVFrame *frame);

  std::string name_;
  CodecPtr ctx_;
  BufferPtr device_;  // the hardware device (none for libx264)
  BufferPtr frames_;  // VAAPI and QSV: the pool of hardware frames the encoder reads
  FramePtr nv12_;     // the frame converted for the upload
};

}  // namespace automuse::render::detail
