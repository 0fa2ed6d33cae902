// host/images/media_probe.cpp — libavformat/libavcodec open, find the video stream, decode.
#include "images/media_probe.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <climits>
#include <cstdio>
#include <memory>
#include <vector>

#include "automuse_render/media_open.h"

namespace automuse::images {
namespace {

std::string av_message(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

}  // namespace

namespace {

using FramePtr = std::unique_ptr<AVFrame, void (*)(AVFrame *)>;

// The automuse.json setting that raises the cap, named in the error.
constexpr const char *kPixelSetting = "limits.media_megapixels";

// "claims 12000x12000 (144 megapixels), more than limits.media_megapixels (100) allows ...".
std::string too_many_pixels(int64_t width, int64_t height, uint64_t max_pixels) {
  auto megapixels = [](double px) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", px / 1e6);
    return std::string(buf);
  };
  return "claims " + std::to_string(width) + "x" + std::to_string(height) + " (" +
         megapixels(static_cast<double>(width) * static_cast<double>(height)) +
         " megapixels), more than " + kPixelSetting + " (" +
         megapixels(static_cast<double>(max_pixels)) + ") allows; raise " + kPixelSetting +
         " in automuse.json to accept it";
}

// Stream probing decodes frames too: every decoder it opens gets the pixel cap, so an
// absurd header fails there instead of allocating its frame.
struct StreamOptions {
  std::vector<AVDictionary *> dicts;
  StreamOptions(unsigned streams, uint64_t max_pixels) : dicts(streams, nullptr) {
    for (AVDictionary *&d : dicts) av_dict_set_int(&d, "max_pixels", int64_t(max_pixels), 0);
  }
  ~StreamOptions() {
    for (AVDictionary *&d : dicts) av_dict_free(&d);
  }
};

// Our decoder's frames come through this: one larger than the cap is refused before it is
// allocated, its size kept for the error (FFmpeg's own max_pixels would refuse it too, but
// before the size is known to anyone).
struct PixelGuard {
  uint64_t max_pixels;
  int width = 0, height = 0;  // of a refused frame
};

int guarded_get_buffer(AVCodecContext *c, AVFrame *frame, int flags) {
  auto *guard = static_cast<PixelGuard *>(c->opaque);
  if (frame->width > 0 && frame->height > 0 &&
      static_cast<uint64_t>(frame->width) * static_cast<uint64_t>(frame->height) >
          guard->max_pixels) {
    guard->width = frame->width;
    guard->height = frame->height;
    return AVERROR(EINVAL);
  }
  return avcodec_default_get_buffer2(c, frame, flags);
}

// Opens `file`, decodes its first video frame; fills `info` and returns the frame.
FramePtr first_frame(const std::filesystem::path &file, MediaInfo &info, uint64_t max_pixels) {
  const std::string name = file.string();
  auto fail = [&](const std::string &why) {
    return am::error(AM_INVALID_ARGUMENT, name + ": " + why);
  };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw fail("no such file");
  if (std::filesystem::file_size(file, ec) == 0) throw fail("empty file");

  AVFormatContext *raw = nullptr;
  std::string why;
  int err = render::open_media_file(&raw, file, render::kImageFile | render::kVideoFile, why);
  if (err < 0) throw fail("not a readable image or video (" + why + ")");
  std::unique_ptr<AVFormatContext, void (*)(AVFormatContext *)> fmt(
      raw, [](AVFormatContext *f) { avformat_close_input(&f); });
  // The pixel cap as FFmpeg's option wants it: an int64 within its range.
  const uint64_t cap = std::min<uint64_t>(max_pixels, INT_MAX);
  auto over_cap = [&](int64_t w, int64_t h) {
    return w > 0 && h > 0 && static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > max_pixels;
  };
  // Demuxers that read the size from the header (most) know it already.
  for (unsigned i = 0; i < fmt->nb_streams; ++i)
    if (const AVCodecParameters *p = fmt->streams[i]->codecpar;
        p->codec_type == AVMEDIA_TYPE_VIDEO && over_cap(p->width, p->height))
      throw fail(too_many_pixels(p->width, p->height, max_pixels));
  StreamOptions options(fmt->nb_streams, cap);
  err = avformat_find_stream_info(fmt.get(), options.dicts.data());
  const AVCodec *codec = nullptr;
  int stream = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  // What the probe learnt of the size (parsers read it from the first packet's header) is
  // checked before a decoder of our own allocates a frame of it.
  if (stream >= 0) {
    const AVCodecParameters *p = fmt->streams[stream]->codecpar;
    if (over_cap(p->width, p->height)) throw fail(too_many_pixels(p->width, p->height, max_pixels));
  }
  if (err < 0) throw fail("cannot read stream info (" + av_message(err) + ")");
  if (stream < 0 || !codec) throw fail("holds no picture");
  AVStream *st = fmt->streams[stream];
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext *)> dec(
      avcodec_alloc_context3(codec), [](AVCodecContext *c) { avcodec_free_context(&c); });
  if (!dec || avcodec_parameters_to_context(dec.get(), st->codecpar) < 0)
    throw fail("cannot set up the " + std::string(codec->name) + " decoder");
  // Be strict: a damaged picture is an error, not something to conceal.
  dec->err_recognition = AV_EF_EXPLODE | AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_BUFFER;
  PixelGuard guard{max_pixels};
  dec->opaque = &guard;
  dec->get_buffer2 = &guarded_get_buffer;
  dec->thread_type = FF_THREAD_SLICE;  // one frame is all a probe needs; no frame threads
  if (avcodec_open2(dec.get(), codec, nullptr) < 0)
    throw fail("cannot open the " + std::string(codec->name) + " decoder");

  // Decode one frame: a truncated or corrupt file fails here even if its header is fine.
  std::unique_ptr<AVPacket, void (*)(AVPacket *)> pkt(av_packet_alloc(),
                                                      [](AVPacket *p) { av_packet_free(&p); });
  FramePtr frame(av_frame_alloc(), [](AVFrame *f) { av_frame_free(&f); });
  bool got = false;
  while (!got && av_read_frame(fmt.get(), pkt.get()) >= 0) {
    if (pkt->stream_index == stream && avcodec_send_packet(dec.get(), pkt.get()) >= 0)
      got = avcodec_receive_frame(dec.get(), frame.get()) >= 0;
    av_packet_unref(pkt.get());
  }
  if (!got) {
    avcodec_send_packet(dec.get(), nullptr);  // flush: single-frame decoders answer now
    got = avcodec_receive_frame(dec.get(), frame.get()) >= 0;
  }
  if (guard.width > 0) throw fail(too_many_pixels(guard.width, guard.height, max_pixels));
  if (!got || frame->width <= 0 || frame->height <= 0)
    throw fail("does not decode (corrupt or truncated)");
  if (frame->decode_error_flags != 0 || (frame->flags & AV_FRAME_FLAG_CORRUPT))
    throw fail("decodes with errors (corrupt)");

  info.width = frame->width;
  info.height = frame->height;
  info.codec = codec->name;
  // Still images come through image demuxers with one frame; clips have a duration.
  double duration = fmt->duration > 0 ? static_cast<double>(fmt->duration) / AV_TIME_BASE : 0.0;
  info.is_video = st->nb_frames > 1 || duration > 0.2;
  info.duration = info.is_video ? duration : 0.0;
  return frame;
}

}  // namespace

MediaInfo probe_media(const std::filesystem::path &file, int min_width, int min_height,
                      uint64_t max_pixels) {
  MediaInfo info;
  first_frame(file, info, max_pixels);
  auto fail = [&](const std::string &why) {
    return am::error(AM_INVALID_ARGUMENT, file.string() + ": " + why);
  };
  if (info.width < min_width || info.height < min_height)
    throw fail("too small: " + std::to_string(info.width) + "x" + std::to_string(info.height) +
               ", need at least " + std::to_string(min_width) + "x" + std::to_string(min_height));
  return info;
}

RgbImage decode_rgb(const std::filesystem::path &file, uint64_t max_pixels) {
  MediaInfo info;
  FramePtr frame = first_frame(file, info, max_pixels);
  RgbImage out;
  out.width = frame->width;
  out.height = frame->height;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 3);
  SwsContext *sws =
      sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
                     out.width, out.height, AV_PIX_FMT_RGB24, SWS_POINT, nullptr, nullptr, nullptr);
  if (!sws) throw am::error(AM_INTERNAL, file.string() + ": cannot convert to RGB");
  uint8_t *dst[4] = {out.pixels.data(), nullptr, nullptr, nullptr};
  int dst_stride[4] = {out.width * 3, 0, 0, 0};
  sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
  sws_freeContext(sws);
  return out;
}

}  // namespace automuse::images
