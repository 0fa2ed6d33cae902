// Small RAII wrappers and helpers around FFmpeg's C types, shared by the renderer's parts.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <stdexcept>
#include <string>

namespace automuse::render::detail {

struct FrameDeleter {
  void operator()(AVFrame *f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket *p) const { av_packet_free(&p); }
};
struct CodecDeleter {
  void operator()(AVCodecContext *c) const { avcodec_free_context(&c); }
};
struct InputDeleter {
  void operator()(AVFormatContext *f) const { avformat_close_input(&f); }
};
struct SwsDeleter {
  void operator()(SwsContext *s) const { sws_freeContext(s); }
};
struct SwrDeleter {
  void operator()(SwrContext *s) const { swr_free(&s); }
};

using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecDeleter>;
using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;

inline FramePtr make_frame() {
  return FramePtr(av_frame_alloc());
}
inline PacketPtr make_packet() {
  return PacketPtr(av_packet_alloc());
}

inline std::string av_error(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

// A failure inside FFmpeg or libass during rendering (not an input problem).
struct CodecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One step of a decode loop, after the decoder asked for input (EAGAIN): reads the next
// packet and sends it to the decoder if it belongs to `stream`; at the end of the input sends
// the flush instead and sets `eof`. Returns avcodec_send_packet's result (0 when nothing was
// sent).
inline int feed_decoder(AVFormatContext *in, AVCodecContext *dec, AVPacket *pkt, int stream,
                        bool &eof) {
  if (av_read_frame(in, pkt) < 0) {
    eof = true;
    avcodec_send_packet(dec, nullptr);
    return 0;
  }
  const int ret = pkt->stream_index == stream ? avcodec_send_packet(dec, pkt) : 0;
  av_packet_unref(pkt);
  return ret;
}

inline void check(int ret, const char *what) {
  if (ret < 0) throw CodecError(std::string(what) + ": " + av_error(ret));
}

// Allocates a yuv420p frame of the given size (32-byte aligned rows).
inline FramePtr make_yuv_frame(int w, int h) {
  FramePtr f = make_frame();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = w;
  f->height = h;
  f->colorspace = AVCOL_SPC_BT709;
  f->color_range = AVCOL_RANGE_MPEG;
  check(av_frame_get_buffer(f.get(), 32), "allocate frame");
  return f;
}

}  // namespace automuse::render::detail
