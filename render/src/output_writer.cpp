// MP4 writing with H.264 (video_encoder.h) + AAC through libavformat (see output_writer.h).
#include "output_writer.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include "cpu_clock.h"

namespace automuse::render::detail {

OutputWriter::OutputWriter(const Timeline &t, const std::filesystem::path &target,
                           EncoderRequest video, std::vector<EncoderCandidate> &tried,
                           bool near_mono_audio)
    : temp_(target), fps_(t.canvas.fps) {
  const std::string ext = target.extension().string();
  const char *format = ext == ".mov" ? "mov" : ext == ".mkv" ? "matroska" : "mp4";
  // The video encoder first: when it cannot be opened nothing else has been made.
  const AVOutputFormat *container = av_guess_format(format, nullptr, nullptr);
  video.global_header = container && (container->flags & AVFMT_GLOBALHEADER);
  venc_.emplace(video, tried);
  check(avformat_alloc_output_context2(&oc_, nullptr, format, temp_.path().c_str()),
        "create output");

  AVCodecContext *v = venc_->context();
  vst_ = avformat_new_stream(oc_, nullptr);
  vst_->time_base = v->time_base;
  vst_->avg_frame_rate = v->framerate;
  check(avcodec_parameters_from_context(vst_->codecpar, v), "video stream parameters");

  const AVCodec *aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!aac) throw CodecError("AAC encoder not available");
  aenc_.reset(avcodec_alloc_context3(aac));
  AVCodecContext *a = aenc_.get();
  a->sample_rate = kAudioRate;
  a->sample_fmt = AV_SAMPLE_FMT_FLTP;
  av_channel_layout_default(&a->ch_layout, kAudioChannels);
  a->bit_rate = t.output.audio_bitrate;
  a->time_base = AVRational{1, kAudioRate};
  if (oc_->oformat->flags & AVFMT_GLOBALHEADER) a->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  AVDictionary *aopts = nullptr;
  av_dict_set(&aopts, "aac_coder", t.output.aac_coder.c_str(), 0);
  // The band-by-band M/S search would pick mid/side everywhere for such a mix; it costs about a
  // fifth of the encoder's time.
  if (near_mono_audio) av_dict_set(&aopts, "aac_ms", "1", 0);
  int ret = avcodec_open2(a, aac, &aopts);
  av_dict_free(&aopts);
  check(ret, "open AAC encoder");
  // Without an edit list nothing tells a player to drop the encoder's delay (1024 samples of
  // priming): it plays them as the first 21 ms. The soundtrack's own first samples make way
  // for them, so that every later sample still sounds at its time, in step with the video.
  const bool mov_family = std::strcmp(format, "matroska") != 0;
  if (!t.output.edit_list && mov_family) audio_skip_ = std::max(0, a->initial_padding);
  ast_ = avformat_new_stream(oc_, nullptr);
  ast_->time_base = a->time_base;
  check(avcodec_parameters_from_context(ast_->codecpar, a), "audio stream parameters");

  check(avio_open(&oc_->pb, temp_.path().c_str(), AVIO_FLAG_WRITE),
        ("open " + temp_.path().string()).c_str());
  opened_ = true;
  AVDictionary *mux = nullptr;
  av_dict_set(&mux, "movflags", "+faststart", 0);
  if (!t.output.edit_list && mov_family) {
    av_dict_set(&mux, "use_editlist", "0", 0);
    // The video's first frame is shown at 0 although B-frames decode it later: a negative
    // composition offset (ctts version 1) says so where an edit list otherwise would.
    av_dict_set(&mux, "movflags", "+faststart+negative_cts_offsets", 0);
  }
  ret = avformat_write_header(oc_, &mux);
  av_dict_free(&mux);
  check(ret, "write header");
}

OutputWriter::~OutputWriter() {
  abort_ = true;
  if (audio_thread_.joinable()) audio_thread_.join();
  for (AVPacket *p : audio_queue_) av_packet_free(&p);
  if (oc_) {
    if (opened_) avio_closep(&oc_->pb);
    avformat_free_context(oc_);
  }
}

void OutputWriter::start_audio(std::function<Pcm()> soundtrack) {
  audio_thread_ = std::thread([this, soundtrack = std::move(soundtrack)] {
    pthread_setname_np(pthread_self(), "am-audio-enc");
    try {
      encode_audio(soundtrack());
    } catch (const std::exception &e) {
      std::lock_guard lock(audio_mu_);
      audio_error_ = e.what();
    }
    std::lock_guard lock(audio_mu_);
    audio_cpu_ = thread_cpu_seconds();
    audio_done_ = true;
    audio_cv_.notify_all();
  });
}

void OutputWriter::encode_audio(const Pcm &pcm) {
  AVCodecContext *a = aenc_.get();
  const int fs = a->frame_size > 0 ? a->frame_size : 1024;
  FramePtr f = make_frame();
  PacketPtr pkt = make_packet();
  auto drain = [&] {
    while (avcodec_receive_packet(a, pkt.get()) == 0) {
      pkt->stream_index = ast_->index;
      av_packet_rescale_ts(pkt.get(), a->time_base, ast_->time_base);
      AVPacket *copy = av_packet_alloc();
      av_packet_move_ref(copy, pkt.get());
      std::lock_guard lock(audio_mu_);
      audio_queue_.push_back(copy);
      audio_cv_.notify_all();
    }
  };
  const size_t total = pcm.frames();
  for (size_t pos = audio_skip_; pos < total && !abort_; pos += static_cast<size_t>(fs)) {
    const int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(fs), total - pos));
    f->format = AV_SAMPLE_FMT_FLTP;
    f->sample_rate = kAudioRate;
    av_channel_layout_default(&f->ch_layout, kAudioChannels);
    f->nb_samples = n;
    f->pts = static_cast<int64_t>(pos);
    check(av_frame_get_buffer(f.get(), 0), "audio frame");
    float *l = reinterpret_cast<float *>(f->data[0]);
    float *r = reinterpret_cast<float *>(f->data[1]);
    for (int i = 0; i < n; ++i) {
      l[i] = pcm.samples[2 * (pos + static_cast<size_t>(i))];
      r[i] = pcm.samples[2 * (pos + static_cast<size_t>(i)) + 1];
    }
    check(avcodec_send_frame(a, f.get()), "encode audio");
    av_frame_unref(f.get());
    drain();
  }
  check(avcodec_send_frame(a, nullptr), "flush audio");
  drain();
}

void OutputWriter::write_audio_until(double seconds) {
  // Keep the audio up to a frame ahead of the video so the muxer interleaves tightly.
  const double until = seconds + 1.0 / fps_;
  while (true) {
    AVPacket *p = nullptr;
    {
      std::unique_lock lock(audio_mu_);
      audio_cv_.wait(lock, [&] { return !audio_queue_.empty() || audio_done_; });
      if (audio_queue_.empty()) {
        if (!audio_error_.empty()) throw CodecError(audio_error_);
        return;
      }
      p = audio_queue_.front();
      if (seconds >= 0 && p->dts != AV_NOPTS_VALUE && p->dts * av_q2d(ast_->time_base) > until)
        return;
      audio_queue_.pop_front();
    }
    int ret = av_interleaved_write_frame(oc_, p);  // takes the packet's data
    av_packet_free(&p);
    check(ret, "write audio");
  }
}

void OutputWriter::drain_video() {
  PacketPtr pkt = make_packet();
  while (true) {
    int ret = avcodec_receive_packet(venc_->context(), pkt.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    check(ret, "encode video");
    pkt->stream_index = vst_->index;
    av_packet_rescale_ts(pkt.get(), venc_->context()->time_base, vst_->time_base);
    write_audio_until(
        pkt->dts == AV_NOPTS_VALUE ? 0.0 : std::max(0.0, pkt->dts * av_q2d(vst_->time_base)));
    check(av_interleaved_write_frame(oc_, pkt.get()), "write video");
  }
}

void OutputWriter::write_video(AVFrame *frame) {
  check(venc_->send(frame), "encode video");
  drain_video();
}

void OutputWriter::finish() {
  write_audio_until(-1);
  check(av_write_trailer(oc_), "finish output");
  check(avio_closep(&oc_->pb), "close output");
  opened_ = false;
}

}  // namespace automuse::render::detail
