// The render benchmark's floor: decodes an already-composed video into memory (untimed), then
// times only a bare libx264 encode of those raw yuv420p frames at the given settings, the
// least work any renderer producing the same frames must do.
// usage: x264_floor COMPOSED.mp4 [PRESET] [CRF] [X264_PARAMS]
//   -> prints "encode_seconds W cpu_seconds C frames N bytes B" (encode loop only)
//   X264_PARAMS: libx264's own options, as FFmpeg's x264-params takes them. The renderer's
//   libx264 runs with cpu-independent=1 (render/src/video_encoder.cpp); the bench passes the same.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
}

// Under callgrind (bench/render/count_instructions.sh) the encode loop's instructions are
// counted apart from the decoding before it; elsewhere these requests do nothing.
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name)
#endif

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace {

// CPU time of the whole process (all threads): on a shared, oversubscribed machine it is a
// steadier measure of work than wall time.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int fail(const char *what) {
  std::fprintf(stderr, "x264_floor: %s\n", what);
  return 1;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) return fail("usage: x264_floor COMPOSED.mp4 [PRESET] [CRF] [X264_PARAMS]");
  const std::string preset = argc > 2 ? argv[2] : "veryfast";
  const std::string crf = argc > 3 ? argv[3] : "23";
  const std::string x264_params = argc > 4 ? argv[4] : "";
  av_log_set_level(AV_LOG_ERROR);

  AVFormatContext *in = nullptr;
  if (avformat_open_input(&in, argv[1], nullptr, nullptr) < 0 ||
      avformat_find_stream_info(in, nullptr) < 0)
    return fail("cannot open input");
  const int vs = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (vs < 0) return fail("no video");
  const AVCodec *dc = avcodec_find_decoder(in->streams[vs]->codecpar->codec_id);
  AVCodecContext *dec = avcodec_alloc_context3(dc);
  avcodec_parameters_to_context(dec, in->streams[vs]->codecpar);
  dec->thread_count = 0;
  if (avcodec_open2(dec, dc, nullptr) < 0) return fail("cannot open decoder");
  const AVRational fps = in->streams[vs]->avg_frame_rate;

  std::vector<AVFrame *> frames;
  AVPacket *pkt = av_packet_alloc();
  AVFrame *f = av_frame_alloc();
  auto take = [&] {
    while (avcodec_receive_frame(dec, f) == 0) {
      AVFrame *copy = av_frame_clone(f);  // keeps the decoder's buffer; no conversion needed
      copy->pict_type = AV_PICTURE_TYPE_NONE;
      frames.push_back(copy);
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
  if (frames.empty()) return fail("no frames decoded");

  const AVCodec *x264 = avcodec_find_encoder_by_name("libx264");
  AVCodecContext *enc = avcodec_alloc_context3(x264);
  enc->width = frames[0]->width;
  enc->height = frames[0]->height;
  enc->pix_fmt = AV_PIX_FMT_YUV420P;
  enc->time_base = av_inv_q(fps);
  enc->framerate = fps;
  enc->thread_count = 0;
  AVDictionary *opts = nullptr;
  av_dict_set(&opts, "preset", preset.c_str(), 0);
  av_dict_set(&opts, "crf", crf.c_str(), 0);
  if (!x264_params.empty()) av_dict_set(&opts, "x264-params", x264_params.c_str(), 0);
  if (avcodec_open2(enc, x264, &opts) < 0) return fail("cannot open libx264");
  av_dict_free(&opts);

  size_t bytes = 0;
  CALLGRIND_ZERO_STATS;
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  auto drain = [&] {
    while (avcodec_receive_packet(enc, pkt) == 0) {
      bytes += static_cast<size_t>(pkt->size);
      av_packet_unref(pkt);
    }
  };
  for (size_t i = 0; i < frames.size(); ++i) {
    frames[i]->pts = static_cast<int64_t>(i);
    if (avcodec_send_frame(enc, frames[i]) < 0) return fail("encode failed");
    drain();
  }
  avcodec_send_frame(enc, nullptr);
  drain();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  CALLGRIND_DUMP_STATS_AT("encode");
  std::printf("encode_seconds %.3f cpu_seconds %.3f frames %zu bytes %zu\n", secs, cpu,
              frames.size(), bytes);
  for (AVFrame *fr : frames) av_frame_free(&fr);
  av_frame_free(&f);
  av_packet_free(&pkt);
  avcodec_free_context(&enc);
  avcodec_free_context(&dec);
  avformat_close_input(&in);
  return 0;
}
