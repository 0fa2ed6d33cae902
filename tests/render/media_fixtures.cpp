// Test media generation and read-back through FFmpeg's libraries (see media_fixtures.h).
#include "media_fixtures.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace automuse::render::test {

void ffmpeg_ok(int ret, const char *what) {
  if (ret < 0) {
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(ret, buf, sizeof buf);
    throw std::runtime_error(std::string(what) + ": " + buf);
  }
}
namespace {

void put16(std::ofstream &o, uint16_t v) {
  o.write(reinterpret_cast<const char *>(&v), 2);
}
void put32(std::ofstream &o, uint32_t v) {
  o.write(reinterpret_cast<const char *>(&v), 4);
}

}  // namespace

void write_png(const std::filesystem::path &path, int w, int h,
               const std::function<Rgb(int, int)> &pixel) {
  const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  AVCodecContext *c = avcodec_alloc_context3(codec);
  c->width = w;
  c->height = h;
  c->pix_fmt = AV_PIX_FMT_RGB24;
  c->time_base = AVRational{1, 1};
  ffmpeg_ok(avcodec_open2(c, codec, nullptr), "open png encoder");
  AVFrame *f = av_frame_alloc();
  f->format = AV_PIX_FMT_RGB24;
  f->width = w;
  f->height = h;
  ffmpeg_ok(av_frame_get_buffer(f, 0), "png frame");
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      Rgb p = pixel(x, y);
      uint8_t *d = f->data[0] + y * f->linesize[0] + 3 * x;
      d[0] = p.r, d[1] = p.g, d[2] = p.b;
    }
  f->pts = 0;
  ffmpeg_ok(avcodec_send_frame(c, f), "encode png");
  ffmpeg_ok(avcodec_send_frame(c, nullptr), "flush png");
  AVPacket *pkt = av_packet_alloc();
  ffmpeg_ok(avcodec_receive_packet(c, pkt), "png packet");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char *>(pkt->data), pkt->size);
  av_packet_free(&pkt);
  av_frame_free(&f);
  avcodec_free_context(&c);
}

void write_wav(const std::filesystem::path &path, double seconds,
               const std::function<double(double)> &sample) {
  const uint32_t rate = 48000, frames = static_cast<uint32_t>(seconds * rate);
  std::ofstream o(path, std::ios::binary);
  o.write("RIFF", 4);
  put32(o, 36 + frames * 4);
  o.write("WAVEfmt ", 8);
  put32(o, 16);
  put16(o, 1);
  put16(o, 2);
  put32(o, rate);
  put32(o, rate * 4);
  put16(o, 4);
  put16(o, 16);
  o.write("data", 4);
  put32(o, frames * 4);
  for (uint32_t i = 0; i < frames; ++i) {
    auto s = static_cast<int16_t>(std::lround(32767 * sample(static_cast<double>(i) / rate)));
    put16(o, static_cast<uint16_t>(s));
    put16(o, static_cast<uint16_t>(s));
  }
}

void write_tone_wav(const std::filesystem::path &path, double seconds, double freq,
                    double amplitude) {
  write_wav(path, seconds, [&](double t) { return amplitude * std::sin(2 * M_PI * freq * t); });
}

bool write_speech_wav(const std::filesystem::path &path, const std::string &text) {
  if (std::system("command -v espeak-ng > /dev/null 2>&1") != 0) return false;
  std::string cmd = "espeak-ng -w '" + path.string() + "' '" + text + "'";
  return std::system(cmd.c_str()) == 0 && std::filesystem::file_size(path) > 1000;
}

void write_clip(const std::filesystem::path &path, int w, int h, int fps, int frames,
                const std::function<uint8_t(int)> &grey, bool audio) {
  std::function<double(double)> tone;
  if (audio) tone = [](double t) { return 8000.0 / 32768 * std::sin(2 * M_PI * 440 * t); };
  write_clip(path, w, h, fps, frames, grey, tone);
}

void write_clip(const std::filesystem::path &path, int w, int h, int fps, int frames,
                const std::function<uint8_t(int)> &grey,
                const std::function<double(double)> &sound) {
  const bool audio = static_cast<bool>(sound);
  AVFormatContext *oc = nullptr;
  ffmpeg_ok(avformat_alloc_output_context2(&oc, nullptr, "mov", path.c_str()), "clip output");
  const AVCodec *vc = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
  AVCodecContext *v = avcodec_alloc_context3(vc);
  v->width = w;
  v->height = h;
  v->pix_fmt = AV_PIX_FMT_YUV420P;
  v->time_base = AVRational{1, fps};
  v->gop_size = 5;
  v->flags |= AV_CODEC_FLAG_QSCALE | AV_CODEC_FLAG_GLOBAL_HEADER;
  v->global_quality = FF_QP2LAMBDA * 2;
  ffmpeg_ok(avcodec_open2(v, vc, nullptr), "open mpeg4");
  AVStream *vs = avformat_new_stream(oc, nullptr);
  vs->time_base = v->time_base;
  avcodec_parameters_from_context(vs->codecpar, v);
  AVCodecContext *a = nullptr;
  AVStream *as = nullptr;
  if (audio) {
    const AVCodec *ac = avcodec_find_encoder(AV_CODEC_ID_PCM_S16LE);
    a = avcodec_alloc_context3(ac);
    a->sample_rate = 48000;
    a->sample_fmt = AV_SAMPLE_FMT_S16;
    av_channel_layout_default(&a->ch_layout, 2);
    a->time_base = AVRational{1, 48000};
    ffmpeg_ok(avcodec_open2(a, ac, nullptr), "open pcm");
    as = avformat_new_stream(oc, nullptr);
    as->time_base = a->time_base;
    avcodec_parameters_from_context(as->codecpar, a);
  }
  ffmpeg_ok(avio_open(&oc->pb, path.c_str(), AVIO_FLAG_WRITE), "open clip file");
  ffmpeg_ok(avformat_write_header(oc, nullptr), "clip header");
  AVPacket *pkt = av_packet_alloc();
  auto drain = [&](AVCodecContext *c, AVStream *s) {
    while (avcodec_receive_packet(c, pkt) == 0) {
      pkt->stream_index = s->index;
      // Without a duration the muxer's edit list ends the video at its last frame's start,
      // and demuxers drop that frame.
      if (c == v && pkt->duration == 0) pkt->duration = 1;
      av_packet_rescale_ts(pkt, c->time_base, s->time_base);
      ffmpeg_ok(av_interleaved_write_frame(oc, pkt), "write clip");
    }
  };
  for (int i = 0; i < frames; ++i) {
    AVFrame *f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = w;
    f->height = h;
    ffmpeg_ok(av_frame_get_buffer(f, 0), "clip frame");
    for (int y = 0; y < h; ++y)
      std::memset(f->data[0] + y * f->linesize[0], grey(i), static_cast<size_t>(w));
    for (int p = 1; p < 3; ++p)
      for (int y = 0; y < h / 2; ++y)
        std::memset(f->data[p] + y * f->linesize[p], 128, static_cast<size_t>(w / 2));
    f->pts = i;
    ffmpeg_ok(avcodec_send_frame(v, f), "encode clip");
    av_frame_free(&f);
    drain(v, vs);
    if (a) {
      const int n = 48000 / fps;
      AVFrame *af = av_frame_alloc();
      af->format = AV_SAMPLE_FMT_S16;
      af->sample_rate = 48000;
      av_channel_layout_default(&af->ch_layout, 2);
      af->nb_samples = n;
      ffmpeg_ok(av_frame_get_buffer(af, 0), "clip audio frame");
      auto *s = reinterpret_cast<int16_t *>(af->data[0]);
      for (int k = 0; k < n; ++k) {
        double t = static_cast<double>(i * n + k) / 48000;
        s[2 * k] = s[2 * k + 1] = static_cast<int16_t>(std::lround(32767 * sound(t)));
      }
      af->pts = static_cast<int64_t>(i) * n;
      ffmpeg_ok(avcodec_send_frame(a, af), "encode clip audio");
      av_frame_free(&af);
      drain(a, as);
    }
  }
  avcodec_send_frame(v, nullptr);
  drain(v, vs);
  if (a) {
    avcodec_send_frame(a, nullptr);
    drain(a, as);
  }
  ffmpeg_ok(av_write_trailer(oc), "clip trailer");
  avio_closep(&oc->pb);
  av_packet_free(&pkt);
  avcodec_free_context(&v);
  if (a) avcodec_free_context(&a);
  avformat_free_context(oc);
}

StreamFacts probe(const std::filesystem::path &file) {
  StreamFacts s;
  AVFormatContext *in = nullptr;
  ffmpeg_ok(avformat_open_input(&in, file.c_str(), nullptr, nullptr), "open output");
  ffmpeg_ok(avformat_find_stream_info(in, nullptr), "read output");
  s.format_duration = static_cast<double>(in->duration) / AV_TIME_BASE;
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    AVStream *st = in->streams[i];
    const AVCodecParameters *par = st->codecpar;
    const double dur = st->duration > 0 ? st->duration * av_q2d(st->time_base) : 0;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
      s.has_video = true;
      s.video_codec = avcodec_get_name(par->codec_id);
      s.pix_fmt = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
      s.width = par->width;
      s.height = par->height;
      s.fps = av_q2d(st->avg_frame_rate);
      s.video_duration = dur;
      s.video_frames = st->nb_frames;
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
      s.has_audio = true;
      s.audio_codec = avcodec_get_name(par->codec_id);
      s.audio_duration = dur;
    }
  }
  avformat_close_input(&in);
  return s;
}

TrackTimes track_times(const std::filesystem::path &file) {
  TrackTimes t;
  AVFormatContext *in = nullptr;
  ffmpeg_ok(avformat_open_input(&in, file.c_str(), nullptr, nullptr), "open output");
  ffmpeg_ok(avformat_find_stream_info(in, nullptr), "read output");
  const int vs = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  const int as = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  auto start = [&](int i) {
    const AVStream *st = in->streams[i];
    return st->start_time == AV_NOPTS_VALUE ? 0.0 : st->start_time * av_q2d(st->time_base);
  };
  if (vs >= 0) t.video_start = start(vs);
  if (as >= 0) t.audio_start = start(as);
  AVPacket *pkt = av_packet_alloc();
  while (av_read_frame(in, pkt) >= 0) {
    const AVStream *st = in->streams[pkt->stream_index];
    const double end = static_cast<double>(pkt->pts + pkt->duration) * av_q2d(st->time_base);
    if (pkt->stream_index == vs) t.video_end = std::max(t.video_end, end);
    if (pkt->stream_index == as) t.audio_end = std::max(t.audio_end, end);
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  avformat_close_input(&in);
  return t;
}

namespace {

// One libswscale conversion with explicit ranges and matrices, set before init: otherwise an
// unscaled yuvj420p -> yuv420p copy keeps full range.
void convert(const uint8_t *const *src, const int *src_ls, AVPixelFormat sf, bool sfull, int smat,
             int w, int h, uint8_t *const *dst, const int *dst_ls, AVPixelFormat df, bool dfull,
             int dmat) {
  SwsContext *sws = sws_alloc_context();
  av_opt_set_int(sws, "srcw", w, 0);
  av_opt_set_int(sws, "srch", h, 0);
  av_opt_set_int(sws, "src_format", sf, 0);
  av_opt_set_int(sws, "dstw", w, 0);
  av_opt_set_int(sws, "dsth", h, 0);
  av_opt_set_int(sws, "dst_format", df, 0);
  av_opt_set_int(sws, "sws_flags", SWS_POINT, 0);
  av_opt_set_int(sws, "src_range", sfull, 0);
  av_opt_set_int(sws, "dst_range", dfull, 0);
  ffmpeg_ok(sws_init_context(sws, nullptr, nullptr), "scaler");
  sws_setColorspaceDetails(sws, sws_getCoefficients(smat), sfull, sws_getCoefficients(dmat), dfull,
                           0, 1 << 16, 1 << 16);
  sws_scale(sws, src, src_ls, 0, h, dst, dst_ls);
  sws_freeContext(sws);
}

// To yuv420p BT.709 limited range, the renderer's output space, so pictures compare directly.
// Anything else (a PNG's RGB, a JPEG's full-range BT.601) goes through RGB.
Picture to_picture(const AVFrame *f) {
  Picture p;
  p.width = f->width;
  p.height = f->height;
  p.y.resize(static_cast<size_t>(f->width) * f->height);
  p.u.resize(static_cast<size_t>(f->width / 2) * (f->height / 2));
  p.v.resize(p.u.size());
  uint8_t *dst[4] = {p.y.data(), p.u.data(), p.v.data(), nullptr};
  int ls[4] = {f->width, f->width / 2, f->width / 2, 0};
  AVPixelFormat fmt = static_cast<AVPixelFormat>(f->format);
  if (fmt == AV_PIX_FMT_YUV420P && f->color_range != AVCOL_RANGE_JPEG) {
    convert(f->data, f->linesize, fmt, false, SWS_CS_ITU709, f->width, f->height, dst, ls,
            AV_PIX_FMT_YUV420P, false, SWS_CS_ITU709);
    return p;
  }
  bool full = f->color_range == AVCOL_RANGE_JPEG;
  if (fmt == AV_PIX_FMT_YUVJ420P) fmt = AV_PIX_FMT_YUV420P, full = true;
  std::vector<uint8_t> rgb(static_cast<size_t>(f->width) * f->height * 3);
  uint8_t *rgb_planes[4] = {rgb.data(), nullptr, nullptr, nullptr};
  int rgb_ls[4] = {f->width * 3, 0, 0, 0};
  convert(f->data, f->linesize, fmt, full, SWS_CS_ITU601, f->width, f->height, rgb_planes, rgb_ls,
          AV_PIX_FMT_RGB24, true, SWS_CS_ITU601);
  convert(rgb_planes, rgb_ls, AV_PIX_FMT_RGB24, true, SWS_CS_ITU709, f->width, f->height, dst, ls,
          AV_PIX_FMT_YUV420P, false, SWS_CS_ITU709);
  return p;
}

}  // namespace

std::vector<Picture> decode_frames(const std::filesystem::path &file) {
  std::vector<Picture> out;
  AVFormatContext *in = nullptr;
  ffmpeg_ok(avformat_open_input(&in, file.c_str(), nullptr, nullptr), "open");
  ffmpeg_ok(avformat_find_stream_info(in, nullptr), "read");
  int vs = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  ffmpeg_ok(vs, "video stream");
  const AVCodec *dc = avcodec_find_decoder(in->streams[vs]->codecpar->codec_id);
  AVCodecContext *dec = avcodec_alloc_context3(dc);
  avcodec_parameters_to_context(dec, in->streams[vs]->codecpar);
  ffmpeg_ok(avcodec_open2(dec, dc, nullptr), "open decoder");
  AVPacket *pkt = av_packet_alloc();
  AVFrame *f = av_frame_alloc();
  auto take = [&] {
    while (avcodec_receive_frame(dec, f) == 0) {
      out.push_back(to_picture(f));
      av_frame_unref(f);
    }
  };
  while (av_read_frame(in, pkt) >= 0) {
    if (pkt->stream_index == vs) avcodec_send_packet(dec, pkt);
    av_packet_unref(pkt);
    take();
  }
  avcodec_send_packet(dec, nullptr);
  take();
  av_frame_free(&f);
  av_packet_free(&pkt);
  avcodec_free_context(&dec);
  avformat_close_input(&in);
  return out;
}

Picture decode_still(const std::filesystem::path &file) {
  auto frames = decode_frames(file);
  if (frames.empty()) throw std::runtime_error("no picture in " + file.string());
  return frames.front();
}

double mean_abs_diff(const Picture &a, const Picture &b, int x0, int y0, int x1, int y1) {
  double sum = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) sum += std::abs(int(a.luma(x, y)) - int(b.luma(x, y)));
  return sum / (static_cast<double>(x1 - x0) * (y1 - y0));
}

double measure_lufs(const std::filesystem::path &file) {
  AVFormatContext *in = nullptr;
  ffmpeg_ok(avformat_open_input(&in, file.c_str(), nullptr, nullptr), "open");
  ffmpeg_ok(avformat_find_stream_info(in, nullptr), "read");
  int as = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  ffmpeg_ok(as, "audio stream");
  const AVCodec *dc = avcodec_find_decoder(in->streams[as]->codecpar->codec_id);
  AVCodecContext *dec = avcodec_alloc_context3(dc);
  avcodec_parameters_to_context(dec, in->streams[as]->codecpar);
  ffmpeg_ok(avcodec_open2(dec, dc, nullptr), "open audio decoder");

  AVFilterGraph *g = avfilter_graph_alloc();
  AVFilterContext *src = nullptr, *sink = nullptr;
  char layout[64];
  av_channel_layout_describe(&dec->ch_layout, layout, sizeof layout);
  std::string args = "sample_rate=" + std::to_string(dec->sample_rate) +
                     ":sample_fmt=" + av_get_sample_fmt_name(dec->sample_fmt) +
                     ":channel_layout=" + layout + ":time_base=1/" +
                     std::to_string(dec->sample_rate);
  ffmpeg_ok(avfilter_graph_create_filter(&src, avfilter_get_by_name("abuffer"), "in", args.c_str(),
                                         nullptr, g),
            "abuffer");
  ffmpeg_ok(avfilter_graph_create_filter(&sink, avfilter_get_by_name("abuffersink"), "out", nullptr,
                                         nullptr, g),
            "sink");
  AVFilterInOut *outputs = avfilter_inout_alloc(), *inputs = avfilter_inout_alloc();
  outputs->name = av_strdup("in");
  outputs->filter_ctx = src;
  inputs->name = av_strdup("out");
  inputs->filter_ctx = sink;
  ffmpeg_ok(avfilter_graph_parse_ptr(g, "ebur128=metadata=1", &inputs, &outputs, nullptr),
            "parse graph");
  avfilter_inout_free(&inputs);
  avfilter_inout_free(&outputs);
  ffmpeg_ok(avfilter_graph_config(g, nullptr), "config graph");

  double lufs = -100;
  AVPacket *pkt = av_packet_alloc();
  AVFrame *f = av_frame_alloc(), *o = av_frame_alloc();
  auto pull = [&] {
    while (av_buffersink_get_frame(sink, o) >= 0) {
      if (AVDictionaryEntry *e = av_dict_get(o->metadata, "lavfi.r128.I", nullptr, 0))
        lufs = std::atof(e->value);
      av_frame_unref(o);
    }
  };
  auto take = [&] {
    while (avcodec_receive_frame(dec, f) == 0) {
      ffmpeg_ok(av_buffersrc_add_frame(src, f), "feed");
      pull();
    }
  };
  while (av_read_frame(in, pkt) >= 0) {
    if (pkt->stream_index == as) avcodec_send_packet(dec, pkt);
    av_packet_unref(pkt);
    take();
  }
  avcodec_send_packet(dec, nullptr);
  take();
  ffmpeg_ok(av_buffersrc_add_frame(src, nullptr), "flush");
  pull();
  av_frame_free(&f);
  av_frame_free(&o);
  av_packet_free(&pkt);
  avfilter_graph_free(&g);
  avcodec_free_context(&dec);
  avformat_close_input(&in);
  return lufs;
}

std::vector<float> decode_audio_mono(const std::filesystem::path &file) {
  AVFormatContext *in = nullptr;
  ffmpeg_ok(avformat_open_input(&in, file.c_str(), nullptr, nullptr), "open");
  ffmpeg_ok(avformat_find_stream_info(in, nullptr), "read");
  int as = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  ffmpeg_ok(as, "audio stream");
  const AVCodec *dc = avcodec_find_decoder(in->streams[as]->codecpar->codec_id);
  AVCodecContext *dec = avcodec_alloc_context3(dc);
  avcodec_parameters_to_context(dec, in->streams[as]->codecpar);
  ffmpeg_ok(avcodec_open2(dec, dc, nullptr), "open audio decoder");
  // Stereo out, averaged here: libswresample's own downmix would scale by sqrt(2).
  AVChannelLayout stereo;
  av_channel_layout_default(&stereo, 2);
  SwrContext *swr = nullptr;
  ffmpeg_ok(swr_alloc_set_opts2(&swr, &stereo, AV_SAMPLE_FMT_FLT, 48000, &dec->ch_layout,
                                dec->sample_fmt, dec->sample_rate, 0, nullptr),
            "resampler");
  ffmpeg_ok(swr_init(swr), "resampler init");
  std::vector<float> out;
  AVPacket *pkt = av_packet_alloc();
  AVFrame *f = av_frame_alloc();
  auto take = [&] {
    while (avcodec_receive_frame(dec, f) == 0) {
      const int cap = swr_get_out_samples(swr, f->nb_samples);
      std::vector<float> buf(static_cast<size_t>(cap) * 2);
      uint8_t *o[] = {reinterpret_cast<uint8_t *>(buf.data())};
      int n =
          swr_convert(swr, o, cap, const_cast<const uint8_t **>(f->extended_data), f->nb_samples);
      for (int i = 0; i < n; ++i)
        out.push_back(0.5f *
                      (buf[2 * static_cast<size_t>(i)] + buf[2 * static_cast<size_t>(i) + 1]));
      av_frame_unref(f);
    }
  };
  while (av_read_frame(in, pkt) >= 0) {
    if (pkt->stream_index == as) avcodec_send_packet(dec, pkt);
    av_packet_unref(pkt);
    take();
  }
  avcodec_send_packet(dec, nullptr);
  take();
  swr_free(&swr);
  av_frame_free(&f);
  av_packet_free(&pkt);
  avcodec_free_context(&dec);
  avformat_close_input(&in);
  return out;
}

double tone_amplitude(const std::vector<float> &mono, double freq, double t0, double t1) {
  const size_t a = static_cast<size_t>(t0 * 48000),
               b = std::min(mono.size(), static_cast<size_t>(t1 * 48000));
  if (b <= a) return 0;
  const double w = 2 * M_PI * freq / 48000, coeff = 2 * std::cos(w);
  double s1 = 0, s2 = 0;
  for (size_t i = a; i < b; ++i) {
    double s0 = mono[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return 2 * std::sqrt(std::max(0.0, power)) / static_cast<double>(b - a);
}

namespace {

// An MP4 box: its type and where its contents lie in the file.
struct Box {
  std::string type;
  int64_t body = 0, end = 0;
};

// The boxes in [from, to) of `in`, in order.
std::vector<Box> boxes(std::ifstream &in, int64_t from, int64_t to) {
  std::vector<Box> out;
  unsigned char h[16];
  in.clear();
  for (int64_t pos = from; pos + 8 <= to;) {
    in.seekg(pos);
    if (!in.read(reinterpret_cast<char *>(h), 8)) break;
    uint64_t size = (uint64_t(h[0]) << 24) | (uint64_t(h[1]) << 16) | (uint64_t(h[2]) << 8) | h[3];
    int64_t header = 8;
    if (size == 1) {  // 64-bit size follows
      if (!in.read(reinterpret_cast<char *>(h + 8), 8)) break;
      size = 0;
      for (int i = 8; i < 16; ++i) size = (size << 8) | h[i];
      header = 16;
    } else if (size == 0) {  // to the end
      size = static_cast<uint64_t>(to - pos);
    }
    if (size < static_cast<uint64_t>(header)) break;
    const int64_t end = pos + static_cast<int64_t>(size);
    out.push_back(Box{std::string(reinterpret_cast<char *>(h + 4), 4), pos + header, end});
    pos = end;
  }
  return out;
}

bool contains_box(std::ifstream &in, int64_t from, int64_t to, const std::string &type) {
  // The boxes that hold only other boxes on the way down to an edit list or a sample table.
  static const std::vector<std::string> kContainers = {"moov", "trak", "edts", "mdia",
                                                       "minf", "stbl", "mvex", "udta"};
  for (const Box &b : boxes(in, from, to)) {
    if (b.type == type) return true;
    if (std::find(kContainers.begin(), kContainers.end(), b.type) != kContainers.end() &&
        contains_box(in, b.body, b.end, type))
      return true;
  }
  return false;
}

}  // namespace

bool moov_before_mdat(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  int64_t moov = -1, mdat = -1;
  for (const Box &b : boxes(in, 0, static_cast<int64_t>(std::filesystem::file_size(file)))) {
    if (b.type == "moov" && moov < 0) moov = b.body;
    if (b.type == "mdat" && mdat < 0) mdat = b.body;
  }
  return moov >= 0 && mdat >= 0 && moov < mdat;
}

bool has_movie_box(const std::filesystem::path &file, const std::string &type) {
  std::ifstream in(file, std::ios::binary);
  for (const Box &b : boxes(in, 0, static_cast<int64_t>(std::filesystem::file_size(file))))
    if (b.type == "moov") return contains_box(in, b.body, b.end, type);
  return false;
}

double tone_onset(const std::vector<float> &mono, double freq, double from, double level) {
  constexpr double kWindow = 0.004, kStep = 0.00025;
  const double last = static_cast<double>(mono.size()) / 48000 - kWindow;
  for (double t = from; t <= last; t += kStep)
    if (tone_amplitude(mono, freq, t, t + kWindow) > level) return t + kWindow / 2;
  return -1;
}

}  // namespace automuse::render::test
