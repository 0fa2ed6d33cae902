// PNG/JPEG still encoding with libavcodec into the render's temporary file (thumbnail.h).
#include "thumbnail.h"

#include <string_view>

#include "scaler.h"

namespace automuse::render::detail {

void write_thumbnail(const AVFrame *frame, TempFile &file) {
  const bool png = file.target().extension() == ".png";
  const AVCodec *codec = avcodec_find_encoder(png ? AV_CODEC_ID_PNG : AV_CODEC_ID_MJPEG);
  if (!codec) throw CodecError("no still-image encoder");
  const AVPixelFormat fmt = png ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_YUVJ420P;
  // Through RGB: the reliable way to get libswscale to expand limited range to full range.
  FramePtr rgb = make_frame();
  rgb->format = AV_PIX_FMT_RGB24;
  rgb->width = frame->width;
  rgb->height = frame->height;
  check(av_frame_get_buffer(rgb.get(), 32), "thumbnail frame");
  Scaler to_rgb, to_jpeg;
  sws_scale(
      to_rgb.get(frame->width, frame->height, AV_PIX_FMT_YUV420P, false, SWS_CS_ITU709,
                 frame->width, frame->height, AV_PIX_FMT_RGB24, true, SWS_CS_ITU709, SWS_BICUBIC),
      frame->data, frame->linesize, 0, frame->height, rgb->data, rgb->linesize);
  FramePtr pic = std::move(rgb);
  if (!png) {
    FramePtr yuv = make_frame();
    yuv->format = AV_PIX_FMT_YUVJ420P;
    yuv->width = frame->width;
    yuv->height = frame->height;
    check(av_frame_get_buffer(yuv.get(), 32), "thumbnail frame");
    sws_scale(to_jpeg.get(frame->width, frame->height, AV_PIX_FMT_RGB24, true, SWS_CS_ITU601,
                          frame->width, frame->height, AV_PIX_FMT_YUV420P, true, SWS_CS_ITU601,
                          SWS_BICUBIC),
              pic->data, pic->linesize, 0, frame->height, yuv->data, yuv->linesize);
    pic = std::move(yuv);
  }

  CodecPtr enc(avcodec_alloc_context3(codec));
  enc->width = frame->width;
  enc->height = frame->height;
  enc->pix_fmt = fmt;
  enc->time_base = AVRational{1, 1};
  enc->color_range = AVCOL_RANGE_JPEG;
  if (!png) {
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * 3;
  }
  check(avcodec_open2(enc.get(), codec, nullptr), "open thumbnail encoder");
  pic->pts = 0;
  pic->quality = enc->global_quality;
  check(avcodec_send_frame(enc.get(), pic.get()), "encode thumbnail");
  check(avcodec_send_frame(enc.get(), nullptr), "flush thumbnail");
  PacketPtr pkt = make_packet();
  check(avcodec_receive_packet(enc.get(), pkt.get()), "encode thumbnail");

  file.write(
      std::string_view(reinterpret_cast<const char *>(pkt->data), static_cast<size_t>(pkt->size)));
}

}  // namespace automuse::render::detail
