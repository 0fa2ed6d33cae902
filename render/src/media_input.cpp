// Decoding of input media with libavformat/libavcodec/libswresample (see media_input.h).
#include "media_input.h"

#include <cmath>
#include <cstdlib>

#include "automuse_render/media_open.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace automuse::render::detail {
namespace {

// `probe_streams`: read ahead to learn every stream's parameters. Image demuxers know their
// one stream from the header; probing them would decode the whole picture an extra time.
InputPtr open_input(const std::filesystem::path &path, unsigned kinds, std::string &error,
                    bool probe_streams = true) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    error = "file not found: " + path.string();
    return nullptr;
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    error = "not a regular file: " + path.string();
    return nullptr;
  }
  AVFormatContext *fmt = nullptr;
  std::string why;
  int ret = open_media_file(&fmt, path, kinds, why);
  if (ret < 0) {
    error = "cannot open " + path.string() + ": " + why;
    return nullptr;
  }
  InputPtr in(fmt);
  if (!probe_streams && fmt->nb_streams > 0 &&
      fmt->streams[0]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
      fmt->streams[0]->codecpar->codec_id != AV_CODEC_ID_NONE)
    return in;
  ret = avformat_find_stream_info(fmt, nullptr);
  if (ret < 0) {
    error = "cannot read " + path.string() + ": " + av_error(ret);
    return nullptr;
  }
  return in;
}

CodecPtr open_decoder(AVStream *st, std::string &error, const std::filesystem::path &path) {
  const AVCodec *codec = find_decoder(st);
  if (!codec) {
    error = "no decoder for " + path.string();
    return nullptr;
  }
  CodecPtr c(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(c.get(), st->codecpar);
  c->thread_count = 1;  // inputs are small; the encoder gets the cores
  int ret = avcodec_open2(c.get(), codec, nullptr);
  if (ret < 0) {
    error = "cannot open decoder for " + path.string() + ": " + av_error(ret);
    return nullptr;
  }
  return c;
}

}  // namespace

const AVCodec *find_decoder(const AVStream *st) {
  if (st->codecpar->codec_id == AV_CODEC_ID_VP9) {
    const AVDictionaryEntry *alpha = av_dict_get(st->metadata, "alpha_mode", nullptr, 0);
    const AVCodec *libvpx = avcodec_find_decoder_by_name("libvpx-vp9");
    if (alpha && std::atoi(alpha->value) != 0 && libvpx) return libvpx;
  }
  return avcodec_find_decoder(st->codecpar->codec_id);
}

std::optional<MediaInfo> probe_media(const std::filesystem::path &path, std::string &error) {
  InputPtr in = open_input(path, kImageFile | kVideoFile | kAudioFile, error);
  if (!in) return std::nullopt;
  MediaInfo info;
  if (in->duration > 0) info.duration = static_cast<double>(in->duration) / AV_TIME_BASE;
  int v = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  int a = av_find_best_stream(in.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  info.has_video = v >= 0;
  info.has_audio = a >= 0;
  if (v >= 0) {
    info.width = in->streams[v]->codecpar->width;
    info.height = in->streams[v]->codecpar->height;
  }
  return info;
}

FramePtr decode_image(const std::filesystem::path &path, std::string &error) {
  InputPtr in = open_input(path, kImageFile | kVideoFile, error, false);
  if (!in) return nullptr;
  int idx = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (idx < 0) {
    error = "no picture in " + path.string();
    return nullptr;
  }
  CodecPtr dec = open_decoder(in->streams[idx], error, path);
  if (!dec) return nullptr;
  PacketPtr pkt = make_packet();
  FramePtr frame = make_frame();
  bool flushing = false;
  while (true) {
    int ret = avcodec_receive_frame(dec.get(), frame.get());
    if (ret == 0) return frame;
    if (ret == AVERROR_EOF) break;
    if (ret != AVERROR(EAGAIN)) {
      error = "cannot decode " + path.string() + ": " + av_error(ret);
      return nullptr;
    }
    if (flushing) break;
    ret = feed_decoder(in.get(), dec.get(), pkt.get(), idx, flushing);
    if (ret < 0 && ret != AVERROR(EAGAIN)) {
      error = "cannot decode " + path.string() + ": " + av_error(ret);
      return nullptr;
    }
  }
  error = "no decodable picture in " + path.string();
  return nullptr;
}

std::optional<Pcm> decode_audio(const std::filesystem::path &path, double start, double length,
                                std::string &error) {
  InputPtr in = open_input(path, kAudioFile | kVideoFile, error);
  if (!in) return std::nullopt;
  int idx = av_find_best_stream(in.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (idx < 0) {
    error = "no audio stream in " + path.string();
    return std::nullopt;
  }
  AVStream *st = in->streams[idx];
  CodecPtr dec = open_decoder(st, error, path);
  if (!dec) return std::nullopt;
  if (start > 0) {
    av_seek_frame(in.get(), -1, static_cast<int64_t>(start * AV_TIME_BASE), AVSEEK_FLAG_BACKWARD);
  }
  AVChannelLayout out_layout;
  av_channel_layout_default(&out_layout, kAudioChannels);
  AVChannelLayout in_layout = dec->ch_layout;
  if (in_layout.order == AV_CHANNEL_ORDER_UNSPEC)
    av_channel_layout_default(&in_layout, in_layout.nb_channels);
  SwrContext *raw = nullptr;
  int ret = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, kAudioRate, &in_layout,
                                dec->sample_fmt, dec->sample_rate, 0, nullptr);
  SwrPtr swr(raw);
  if (ret < 0 || swr_init(swr.get()) < 0) {
    error = "cannot convert the audio of " + path.string();
    return std::nullopt;
  }
  Pcm pcm;
  // Samples before `start` (the seek lands on or before it) are skipped by timestamp.
  const double tb = av_q2d(st->time_base);
  int64_t skip_frames = -1;  // resolved from the first decoded frame's timestamp
  const size_t max_frames =
      length < 0 ? SIZE_MAX : static_cast<size_t>(std::llround(length * kAudioRate));
  PacketPtr pkt = make_packet();
  FramePtr frame = make_frame();
  std::vector<float> buf;
  auto convert = [&](const AVFrame *f) {
    int out_count = swr_get_out_samples(swr.get(), f ? f->nb_samples : 0);
    if (out_count <= 0) return;
    buf.resize(static_cast<size_t>(out_count) * kAudioChannels);
    uint8_t *out[] = {reinterpret_cast<uint8_t *>(buf.data())};
    int n = swr_convert(swr.get(), out, out_count,
                        f ? const_cast<const uint8_t **>(f->extended_data) : nullptr,
                        f ? f->nb_samples : 0);
    if (n <= 0) return;
    size_t first = 0;
    if (skip_frames > 0) {
      first = std::min<size_t>(static_cast<size_t>(skip_frames), static_cast<size_t>(n));
      skip_frames -= static_cast<int64_t>(first);
    }
    pcm.samples.insert(pcm.samples.end(), buf.begin() + static_cast<long>(first * kAudioChannels),
                       buf.begin() + static_cast<long>(n) * kAudioChannels);
  };
  bool eof = false;
  while (pcm.frames() < max_frames) {
    ret = avcodec_receive_frame(dec.get(), frame.get());
    if (ret == 0) {
      if (skip_frames < 0) {
        double t0 = frame->pts == AV_NOPTS_VALUE ? 0.0 : frame->pts * tb;
        if (st->start_time != AV_NOPTS_VALUE) t0 -= st->start_time * tb;
        skip_frames = std::max<int64_t>(0, std::llround((start - t0) * kAudioRate));
      }
      convert(frame.get());
      av_frame_unref(frame.get());
      continue;
    }
    if (ret == AVERROR_EOF) break;
    if (ret != AVERROR(EAGAIN)) {
      error = "cannot decode the audio of " + path.string() + ": " + av_error(ret);
      return std::nullopt;
    }
    if (eof) break;
    feed_decoder(in.get(), dec.get(), pkt.get(), idx, eof);
  }
  convert(nullptr);  // drain the resampler
  if (pcm.frames() > max_frames) pcm.samples.resize(max_frames * kAudioChannels);
  return pcm;
}

}  // namespace automuse::render::detail
