// render(): validation of every input, then the pipeline: audio mix and encode, a
// composition thread feeding the libx264 encoder, progress, cancel, atomic output (the video,
// its thumbnail and the ASS copy appear together when the render succeeds, or not at all).
#include "automuse_render/render.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "audio_mix.h"
#include "compositor.h"
#include "cpu_clock.h"
#include "log_bridge.h"
#include "media_input.h"
#include "output_writer.h"
#include "scene_source.h"
#include "subtitle_layer.h"
#include "temp_file.h"
#include "thumbnail.h"

namespace automuse::render {
namespace {
using namespace detail;

std::string scene_path(size_t i) {
  return "scenes[" + std::to_string(i) + "]";
}

// Everything decoded and checked before encoding starts.
struct Prepared {
  std::vector<std::unique_ptr<SceneSource>> scenes;
  std::unique_ptr<SubtitleLayer> subtitles;
  AudioInputs audio;
  std::vector<std::string> warnings;  // see RenderResult::warnings
  // The render's other outputs, under temporary names beside their targets: renamed into
  // place with the video when the render succeeds, removed when it fails or is cancelled.
  std::optional<TempFile> ass_copy;   // subtitles.write_ass, written while preparing
  std::optional<TempFile> thumbnail;  // output.thumbnail, written after the video
};

// Creates `slot`, a temporary beside `target` holding `bytes`, now: a folder that refuses it
// stops the render before anything is encoded.
std::optional<TimelineError> stage(std::optional<TempFile> &slot,
                                   const std::filesystem::path &target, const std::string &field,
                                   std::string_view bytes = {}) {
  try {
    slot.emplace(target);
    if (!bytes.empty()) slot->write(bytes);
  } catch (const std::filesystem::filesystem_error &e) {
    slot.reset();
    return TimelineError{field, "cannot write " + target.string() + ": " + e.code().message()};
  }
  return std::nullopt;
}

std::optional<TimelineError> fill_durations(Timeline &t) {
  size_t autos = 0;
  double fixed = 0;
  for (const Scene &s : t.scenes) {
    if (s.auto_duration)
      ++autos;
    else
      fixed += s.duration;
  }
  if (autos == 0) {
    if (t.duration && std::abs(*t.duration - fixed) > 1e-3)
      return TimelineError{"duration", "does not match the sum of the scene durations (" +
                                           std::to_string(fixed) + " s)"};
    return std::nullopt;
  }
  double total = 0;
  if (t.duration) {
    total = *t.duration;
  } else if (t.audio.voice) {
    std::string err;
    auto info = probe_media(*t.audio.voice, err);
    if (!info) return TimelineError{"audio.voice", err};
    if (!info->has_audio)
      return TimelineError{"audio.voice", "no audio stream in " + t.audio.voice->string()};
    total = info->duration;
  } else {
    for (size_t i = 0; i < t.scenes.size(); ++i)
      if (t.scenes[i].auto_duration)
        return TimelineError{scene_path(i) + ".duration",
                             "is required when the timeline has neither a duration nor a voice"};
  }
  const double share = (total - fixed) / static_cast<double>(autos);
  if (share < 0.1)
    return TimelineError{t.duration ? "duration" : "audio.voice",
                         "leaves no time for the scenes without a duration"};
  for (Scene &s : t.scenes)
    if (s.auto_duration) s.duration = share;
  return std::nullopt;
}

std::optional<TimelineError> check_structure(const Timeline &t) {
  for (size_t i = 0; i < t.scenes.size(); ++i) {
    double in = t.scenes[i].transition.duration / 2;
    double out = i + 1 < t.scenes.size() ? t.scenes[i + 1].transition.duration / 2 : 0;
    if (in + out > t.scenes[i].duration + 1e-9) {
      std::string who = out > 0 ? scene_path(i + 1) : scene_path(i);
      return TimelineError{who + ".transition.duration",
                           "transitions overlap: half of each transition touching " +
                               scene_path(i) + " must fit in its " +
                               std::to_string(t.scenes[i].duration) + " s"};
    }
  }
  if (t.output.thumbnail && t.output.thumbnail->time >= t.total_duration())
    return TimelineError{"output.thumbnail.time", "is after the end of the video"};
  std::error_code ec;
  // A folder where a file is to go would only fail the last rename, after encoding.
  auto folder_at = [&](const std::filesystem::path &p, const std::string &field) {
    return std::filesystem::is_directory(p, ec)
               ? std::optional(TimelineError{field, "is a folder: " + p.string()})
               : std::nullopt;
  };
  if (auto e = folder_at(t.output.path, "output.path")) return e;
  if (t.output.thumbnail)
    if (auto e = folder_at(t.output.thumbnail->path, "output.thumbnail.path")) return e;
  if (t.subtitles && t.subtitles->write_ass)
    if (auto e = folder_at(*t.subtitles->write_ass, "subtitles.write_ass")) return e;
  auto dir = t.output.path.parent_path();
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
    return TimelineError{"output.path", "folder does not exist: " + dir.string()};
  if (t.output.thumbnail) {
    auto tdir = t.output.thumbnail->path.parent_path();
    if (!tdir.empty() && !std::filesystem::is_directory(tdir, ec))
      return TimelineError{"output.thumbnail.path", "folder does not exist: " + tdir.string()};
  }
  return std::nullopt;
}

// Runs `step` (returning a problem or none) with the FFmpeg messages logged on this thread
// kept: a problem ends with what FFmpeg said about it; otherwise they join `log`, to be passed
// on once preparing is over instead of printed before the renderer's own message.
template <class Step>
std::optional<TimelineError> keeping_ffmpeg_lines(LogLines &log, Step &&step) {
  LogCapture capture;
  std::optional<TimelineError> e = step();
  LogLines lines = capture.release();
  if (e) {
    e->message += ffmpeg_detail(lines);
    lines = below_warning(std::move(lines));
  }
  log.insert(log.end(), std::make_move_iterator(lines.begin()),
             std::make_move_iterator(lines.end()));
  return e;
}

std::optional<TimelineError> prepare_inputs(Timeline &t, Prepared &p, LogLines &log) {
  if (auto e = keeping_ffmpeg_lines(log, [&] { return fill_durations(t); })) return e;
  if (auto e = check_structure(t)) return e;
  if (t.output.thumbnail)
    if (auto e = stage(p.thumbnail, t.output.thumbnail->path, "output.thumbnail.path")) return e;
  // Decoding the inputs is independent work: run it concurrently (PNG decoding and the
  // audio are single-threaded), then report the first problem in timeline order. Each input's
  // FFmpeg messages are kept on its own thread.
  struct Opened {
    std::unique_ptr<SceneSource> source;
    std::string error, warning;
    LogLines log;
  };
  std::vector<std::future<Opened>> scenes;
  for (const Scene &scene : t.scenes)
    scenes.push_back(std::async(std::launch::async, [&scene, &t] {
      Opened o;
      LogCapture capture;
      o.source = open_scene(scene, t.canvas, o.error, o.warning);
      o.log = capture.release();
      return o;
    }));
  LogLines audio_log;
  auto audio = std::async(std::launch::async, [&t, &p, &audio_log] {
    return keeping_ffmpeg_lines(audio_log, [&] { return load_audio_inputs(t, p.audio); });
  });
  std::optional<TimelineError> subtitle_error;
  if (t.subtitles) {
    p.subtitles = std::make_unique<SubtitleLayer>();
    subtitle_error = keeping_ffmpeg_lines(log, [&]() -> std::optional<TimelineError> {
      std::string err;
      if (!p.subtitles->open(*t.subtitles, t.canvas, err))
        return TimelineError{t.subtitles->ass_file ? "subtitles.ass" : "subtitles", err};
      return std::nullopt;
    });
    if (!subtitle_error && t.subtitles->write_ass)
      subtitle_error =
          stage(p.ass_copy, *t.subtitles->write_ass, "subtitles.write_ass", p.subtitles->script());
  }
  std::optional<TimelineError> scene_error;
  for (size_t i = 0; i < scenes.size(); ++i) {
    Opened o = scenes[i].get();
    const std::string field =
        scene_path(i) + (t.scenes[i].kind == Scene::Kind::kImage ? ".image" : ".video");
    if (!o.source) {
      if (!scene_error) scene_error = TimelineError{field, o.error + ffmpeg_detail(o.log)};
      o.log = below_warning(std::move(o.log));  // about an input that is not used
    }
    log.insert(log.end(), std::make_move_iterator(o.log.begin()),
               std::make_move_iterator(o.log.end()));
    if (!o.warning.empty()) p.warnings.push_back(field + ": " + o.warning);
    p.scenes.push_back(std::move(o.source));
  }
  std::optional<TimelineError> audio_error = audio.get();
  log.insert(log.end(), std::make_move_iterator(audio_log.begin()),
             std::make_move_iterator(audio_log.end()));
  if (scene_error) return scene_error;
  if (audio_error) return audio_error;
  return subtitle_error;
}

// Checks and decodes every input. FFmpeg's messages about an input that cannot be used end
// its error; the others are passed on afterwards, so the renderer's message comes first.
std::optional<TimelineError> prepare(Timeline &t, Prepared &p) {
  LogLines log;
  auto error = prepare_inputs(t, p, log);
  log_lines(log);
  return error;
}

// An output frame and what it holds, kept together while it is recycled.
struct CanvasFrame {
  FramePtr frame;
  FrameMemo memo;
};

// Bounded hand-over of composed frames from the composition thread to the encoder.
class FrameQueue {
 public:
  explicit FrameQueue(size_t capacity) : capacity_(capacity) {}
  bool push(CanvasFrame f) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < capacity_ || closed_; });
    if (closed_) return false;
    q_.push_back(std::move(f));
    cv_.notify_all();
    return true;
  }
  // Null when closed and empty.
  CanvasFrame pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return {};
    CanvasFrame f = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return f;
  }
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  // Frames come back after encoding and are reused: fresh 3 MB buffers per frame would cost
  // page faults. The encoder copies its input, so a returned frame is free once writable.
  void recycle(CanvasFrame f) {
    std::lock_guard lock(mu_);
    if (spare_.size() < capacity_ + 2) spare_.push_back(std::move(f));
  }
  CanvasFrame take_spare() {
    std::lock_guard lock(mu_);
    while (!spare_.empty()) {
      CanvasFrame f = std::move(spare_.back());
      spare_.pop_back();
      if (av_frame_is_writable(f.frame.get())) return f;
    }
    return {};
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<CanvasFrame> q_, spare_;
  size_t capacity_;
  bool closed_ = false;
};

EncoderRequest encoder_request(const Timeline &t, const RenderOptions &options) {
  EncoderRequest r;
  r.choice = t.output.encoder.value_or(VideoEncoder::kLibx264);
  r.width = t.canvas.width;
  r.height = t.canvas.height;
  r.fps = t.canvas.fps;
  r.preset = t.output.preset;
  r.crf = t.output.crf;
  r.threads = options.encoder_threads;
  r.fail_at_open = options.debug_fail_encoders;
  return r;
}

bool cancelled(const std::atomic<bool> *c) {
  return c && c->load(std::memory_order_relaxed);
}

}  // namespace

std::optional<TimelineError> validate_timeline(Timeline &timeline,
                                               std::vector<std::string> *warnings) {
  install_log_bridge();
  Prepared p;
  auto error = prepare(timeline, p);
  if (warnings) *warnings = std::move(p.warnings);
  // Writing the ASS copy is what `automuse-render --check --write-ass` is for.
  if (!error && p.ass_copy) {
    try {
      p.ass_copy->commit();
    } catch (const std::filesystem::filesystem_error &e) {
      error = TimelineError{"subtitles.write_ass", "cannot write " + p.ass_copy->target().string() +
                                                       ": " + e.code().message()};
    }
  }
  return error;
}

RenderResult render(Timeline t, const RenderOptions &options, const ProgressCallback &progress,
                    const std::atomic<bool> *cancel) {
  install_log_bridge();
  RenderResult result;
  if (options.output_override) t.output.path = *options.output_override;
  result.output = t.output.path;
  const double cpu_start = process_cpu_seconds();
  Prepared prep;
  const auto invalid = prepare(t, prep);
  result.warnings = std::move(prep.warnings);
  if (invalid) {
    result.error_kind = RenderErrorKind::kInvalidTimeline;
    result.error = invalid->to_string();
    return result;
  }
  const int64_t total = std::max<int64_t>(1, t.total_frames());
  result.frames = total;
  result.duration = static_cast<double>(total) / t.canvas.fps;
  auto fail = [&](RenderErrorKind kind, std::string msg) {
    result.error_kind = kind;
    result.error = std::move(msg);
    return result;
  };
  if (cancelled(cancel)) return fail(RenderErrorKind::kCancelled, "cancelled");

  std::atomic<bool> stop{false};
  FrameQueue queue(4);
  std::string compose_error;
  double compose_cpu = 0;
  std::thread composer;
  try {
    const double cpu_prepared = process_cpu_seconds();
    // The soundtrack is mixed on the audio thread while the video starts: its inputs were
    // checked and decoded already, so mixing cannot find a problem that should have stopped
    // the render before encoding.
    MixResult mix;       // written by the audio thread, read after commit()
    double mix_cpu = 0;  // likewise
    OutputWriter writer(t, t.output.path, encoder_request(t, options), result.encoder_candidates,
                        is_near_mono(prep.audio));
    result.encoder = writer.video_encoder();
    writer.start_audio([&t, &mix, &mix_cpu, audio = std::move(prep.audio)]() mutable {
      const double cpu0 = thread_cpu_seconds();
      mix = mix_audio(t, audio);
      audio = AudioInputs{};  // the decoded inputs are no longer needed: keep peak memory low
      mix_cpu = thread_cpu_seconds() - cpu0;
      return std::move(mix.pcm);
    });

    Compositor compositor(t, std::move(prep.scenes), std::move(prep.subtitles));
    composer = std::thread([&] {
      pthread_setname_np(pthread_self(), "am-compose");  // names it in top, perf and gdb
      try {
        for (int64_t n = 0; n < total && !stop.load(std::memory_order_relaxed); ++n) {
          CanvasFrame f = queue.take_spare();
          if (!f.frame) f.frame = make_yuv_frame(t.canvas.width, t.canvas.height);
          compositor.compose(n, f.frame.get(), f.memo);
          f.frame->pts = n;
          if (!queue.push(std::move(f))) break;
        }
      } catch (const std::exception &e) {
        compose_error = e.what();
      }
      compose_cpu = thread_cpu_seconds();
      queue.close();
    });

    const int64_t thumb_frame =
        t.output.thumbnail
            ? std::min<int64_t>(total - 1, std::llround(t.output.thumbnail->time * t.canvas.fps))
            : -1;
    FramePtr thumb;
    const auto t0 = std::chrono::steady_clock::now();
    auto last_report = t0 - std::chrono::seconds(1);
    int64_t done = 0, last_tenth = 0;
    // At most every 100 ms, but at every tenth of the frames too: a quick render still shows
    // its progress in steps (a watcher sees 10 %, 20 % ... however fast the machine is).
    auto report = [&](bool force) {
      if (!progress) return;
      auto now = std::chrono::steady_clock::now();
      const int64_t tenth = total > 0 ? done * 10 / total : 0;
      if (!force && tenth == last_tenth && now - last_report < std::chrono::milliseconds(100))
        return;
      last_report = now;
      last_tenth = tenth;
      double secs = std::chrono::duration<double>(now - t0).count();
      RenderProgress pr;
      pr.frames_done = done;
      pr.frames_total = total;
      pr.fraction = static_cast<double>(done) / static_cast<double>(total);
      pr.fps = secs > 0 ? static_cast<double>(done) / secs : 0;
      pr.eta_seconds = pr.fps > 0 ? static_cast<double>(total - done) / pr.fps : 0;
      progress(pr);
    };
    for (CanvasFrame f = queue.pop(); f.frame; f = queue.pop()) {
      if (cancelled(cancel)) break;
      if (f.frame->pts == thumb_frame) thumb.reset(av_frame_clone(f.frame.get()));
      writer.write_video(f.frame.get());
      ++done;
      report(false);
      queue.recycle(std::move(f));
    }
    stop = true;
    queue.close();
    composer.join();
    if (cancelled(cancel)) return fail(RenderErrorKind::kCancelled, "cancelled");
    if (!compose_error.empty()) return fail(RenderErrorKind::kCodec, compose_error);
    if (done != total) return fail(RenderErrorKind::kCodec, "composition ended early");
    writer.write_video(nullptr);
    writer.finish();
    if (prep.thumbnail) {
      if (!thumb) throw CodecError("the thumbnail's frame was not composed");
      write_thumbnail(thumb.get(), *prep.thumbnail);
    }
    // The companions first: once the video is in place, so are they.
    if (prep.ass_copy) prep.ass_copy->commit();
    if (prep.thumbnail) prep.thumbnail->commit();
    writer.commit();
    if (prep.thumbnail) result.thumbnail = prep.thumbnail->target();
    result.measured_lufs = mix.measured_lufs;
    result.applied_gain_db = mix.gain_db;
    result.final_lufs = mix.final_lufs;
    RenderCpu &cpu = result.cpu;
    cpu.prepare = cpu_prepared - cpu_start;
    cpu.audio_mix = mix_cpu;
    cpu.composition = compose_cpu;
    cpu.audio_encode = writer.audio_cpu_seconds() - mix_cpu;
    cpu.total = process_cpu_seconds() - cpu_start;
    cpu.video_encode =
        std::max(0.0, cpu.total - cpu.prepare - cpu.audio_mix - cpu.composition - cpu.audio_encode);
    report(true);
  } catch (const CodecError &e) {
    stop = true;
    queue.close();
    if (composer.joinable()) composer.join();
    return fail(RenderErrorKind::kCodec, e.what());
  } catch (const std::filesystem::filesystem_error &e) {
    stop = true;
    queue.close();
    if (composer.joinable()) composer.join();
    return fail(RenderErrorKind::kIo, e.what());
  } catch (const std::exception &e) {
    stop = true;
    queue.close();
    if (composer.joinable()) composer.join();
    return fail(RenderErrorKind::kCodec, e.what());
  }
  return result;
}

}  // namespace automuse::render
