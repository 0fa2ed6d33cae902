// RGBA test pictures and clips through FFmpeg's libraries (see alpha_media.h).
#include "alpha_media.h"

#include "media_fixtures.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <fstream>
#include <memory>
#include <stdexcept>

namespace automuse::render::test {
namespace {

struct CodecFree {
  void operator()(AVCodecContext *c) const { avcodec_free_context(&c); }
};
struct FrameFree {
  void operator()(AVFrame *f) const { av_frame_free(&f); }
};
struct PacketFree {
  void operator()(AVPacket *p) const { av_packet_free(&p); }
};
using Codec = std::unique_ptr<AVCodecContext, CodecFree>;
using Frame = std::unique_ptr<AVFrame, FrameFree>;
using Packet = std::unique_ptr<AVPacket, PacketFree>;

// A w x h frame in `fmt` (RGBA or ARGB, both byte-ordered) filled from `pixel`.
Frame rgba_frame(AVPixelFormat fmt, int w, int h, const std::function<Rgba(int, int)> &pixel) {
  Frame f(av_frame_alloc());
  f->format = fmt;
  f->width = w;
  f->height = h;
  ffmpeg_ok(av_frame_get_buffer(f.get(), 0), "rgba frame");
  const bool argb = fmt == AV_PIX_FMT_ARGB;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const Rgba p = pixel(x, y);
      uint8_t *d = f->data[0] + y * f->linesize[0] + 4 * x;
      if (argb)
        d[0] = p.a, d[1] = p.r, d[2] = p.g, d[3] = p.b;
      else
        d[0] = p.r, d[1] = p.g, d[2] = p.b, d[3] = p.a;
    }
  return f;
}

// The same picture as yuva420p (BT.601 limited, what the VP9 encoder assumes by default).
Frame to_yuva(const AVFrame *rgba) {
  Frame f(av_frame_alloc());
  f->format = AV_PIX_FMT_YUVA420P;
  f->width = rgba->width;
  f->height = rgba->height;
  ffmpeg_ok(av_frame_get_buffer(f.get(), 0), "yuva frame");
  SwsContext *sws = sws_getContext(rgba->width, rgba->height, AV_PIX_FMT_RGBA, f->width, f->height,
                                   AV_PIX_FMT_YUVA420P, SWS_POINT, nullptr, nullptr, nullptr);
  if (!sws) throw std::runtime_error("yuva scaler");
  sws_scale(sws, rgba->data, rgba->linesize, 0, rgba->height, f->data, f->linesize);
  sws_freeContext(sws);
  return f;
}

Codec open_encoder(const AVCodec *codec, AVPixelFormat fmt, int w, int h, AVRational tb,
                   bool global) {
  Codec c(avcodec_alloc_context3(codec));
  c->width = w;
  c->height = h;
  c->pix_fmt = fmt;
  c->time_base = tb;
  if (global) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (codec->id == AV_CODEC_ID_VP9) {
    av_opt_set_int(c->priv_data, "lossless", 1, 0);
    av_opt_set(c->priv_data, "deadline", "realtime", 0);
  }
  ffmpeg_ok(avcodec_open2(c.get(), codec, nullptr), "open encoder");
  return c;
}

}  // namespace

void write_rgba_png(const std::filesystem::path &path, int w, int h,
                    const std::function<Rgba(int, int)> &pixel) {
  Codec c = open_encoder(avcodec_find_encoder(AV_CODEC_ID_PNG), AV_PIX_FMT_RGBA, w, h,
                         AVRational{1, 1}, false);
  Frame f = rgba_frame(AV_PIX_FMT_RGBA, w, h, pixel);
  f->pts = 0;
  ffmpeg_ok(avcodec_send_frame(c.get(), f.get()), "encode png");
  ffmpeg_ok(avcodec_send_frame(c.get(), nullptr), "flush png");
  Packet pkt(av_packet_alloc());
  ffmpeg_ok(avcodec_receive_packet(c.get(), pkt.get()), "png packet");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char *>(pkt->data), pkt->size);
}

bool write_rgba_clip(const std::filesystem::path &path, const std::string &codec, int w, int h,
                     int fps, int frames, const std::function<Rgba(int, int)> &pixel) {
  const bool vp9 = codec == "vp9";
  const AVCodec *encoder =
      vp9 ? avcodec_find_encoder_by_name("libvpx-vp9")
          : avcodec_find_encoder(codec == "qtrle" ? AV_CODEC_ID_QTRLE : AV_CODEC_ID_PNG);
  if (!encoder) return false;
  const AVPixelFormat fmt = vp9                ? AV_PIX_FMT_YUVA420P
                            : codec == "qtrle" ? AV_PIX_FMT_ARGB
                                               : AV_PIX_FMT_RGBA;
  AVFormatContext *raw = nullptr;
  ffmpeg_ok(avformat_alloc_output_context2(&raw, nullptr, vp9 ? "webm" : "mov", path.c_str()),
            "clip output");
  std::unique_ptr<AVFormatContext, void (*)(AVFormatContext *)> oc(raw, [](AVFormatContext *o) {
    if (o->pb) avio_closep(&o->pb);
    avformat_free_context(o);
  });
  Codec c = open_encoder(encoder, fmt, w, h, AVRational{1, fps}, true);
  AVStream *st = avformat_new_stream(oc.get(), nullptr);
  st->time_base = c->time_base;
  ffmpeg_ok(avcodec_parameters_from_context(st->codecpar, c.get()), "clip parameters");
  ffmpeg_ok(avio_open(&oc->pb, path.c_str(), AVIO_FLAG_WRITE), "open clip file");
  ffmpeg_ok(avformat_write_header(oc.get(), nullptr), "clip header");
  Packet pkt(av_packet_alloc());
  auto drain = [&] {
    while (avcodec_receive_packet(c.get(), pkt.get()) == 0) {
      pkt->stream_index = st->index;
      av_packet_rescale_ts(pkt.get(), c->time_base, st->time_base);
      ffmpeg_ok(av_interleaved_write_frame(oc.get(), pkt.get()), "write clip");
    }
  };
  for (int i = 0; i < frames; ++i) {
    Frame f = vp9 ? to_yuva(rgba_frame(AV_PIX_FMT_RGBA, w, h, pixel).get())
                  : rgba_frame(fmt, w, h, pixel);
    f->pts = i;
    ffmpeg_ok(avcodec_send_frame(c.get(), f.get()), "encode clip");
    drain();
  }
  ffmpeg_ok(avcodec_send_frame(c.get(), nullptr), "flush clip");
  drain();
  ffmpeg_ok(av_write_trailer(oc.get()), "clip trailer");
  return true;
}

}  // namespace automuse::render::test
