// The output file: H.264 (libx264 or a hardware encoder, see video_encoder.h) and AAC in MP4
// with +faststart (and, with output.edit_list false, without edit lists), written to a
// temporary file beside the target, finished by finish() and renamed into place by commit();
// destroyed without commit() it removes the temporary file.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "automuse_render/timeline.h"
#include "av_util.h"
#include "media_input.h"
#include "temp_file.h"
#include "video_encoder.h"

namespace automuse::render::detail {

class OutputWriter {
 public:
  // `near_mono_audio`: the soundtrack's channels are (nearly) the same (is_near_mono), so AAC
  // codes mid/side throughout instead of trying both in every band.
  // `video` says which H.264 encoder to open (its size, rate and quality are the timeline's);
  // every encoder tried lands in `tried`, also when opening fails (a CodecError).
  OutputWriter(const Timeline &t, const std::filesystem::path &target, EncoderRequest video,
               std::vector<EncoderCandidate> &tried, bool near_mono_audio);
  ~OutputWriter();
  OutputWriter(const OutputWriter &) = delete;
  OutputWriter &operator=(const OutputWriter &) = delete;

  // Makes the soundtrack with `soundtrack` and encodes it, on a thread of its own alongside
  // the video; its packets are interleaved with the video as it is written (writing waits
  // for audio that is not ready). An exception from `soundtrack` fails the render.
  void start_audio(std::function<Pcm()> soundtrack);
  // Encodes one video frame (pts = frame index); null flushes the encoder.
  void write_video(AVFrame *frame);
  // Finishes the file (trailer, faststart), still under its temporary name.
  void finish();
  // Renames the finished file over the target.
  void commit() { temp_.commit(); }
  const std::filesystem::path &temp_path() const { return temp_.path(); }
  const std::string &video_encoder() const { return venc_->name(); }
  // CPU seconds the audio thread spent (making and encoding the soundtrack); valid after
  // commit().
  double audio_cpu_seconds() const { return audio_cpu_; }

 private:
  void write_audio_until(double seconds);  // < 0: all that is left
  void drain_video();

  TempFile temp_;  // the file being written, renamed over the target by commit()
  AVFormatContext *oc_ = nullptr;
  std::optional<H264Encoder> venc_;
  CodecPtr aenc_;
  AVStream *vst_ = nullptr, *ast_ = nullptr;
  void encode_audio(const Pcm &pcm);

  std::thread audio_thread_;
  std::mutex audio_mu_;
  std::condition_variable audio_cv_;
  std::deque<AVPacket *> audio_queue_;  // encoded, not yet written
  bool audio_done_ = false;
  std::string audio_error_;
  std::atomic<bool> abort_{false};
  bool opened_ = false;
  int fps_ = 30;
  size_t audio_skip_ = 0;  // soundtrack samples replaced by the encoder's priming (no edit list)
  double audio_cpu_ = 0;   // written by the audio thread before it says it is done
};

}  // namespace automuse::render::detail
