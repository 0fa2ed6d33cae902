// libautomuse-render's entry point: validate a Timeline and render it to an MP4 with
// FFmpeg's libraries (H.264 from libx264 or a hardware encoder, AAC, +faststart) and libass,
// with progress and cancellation.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "automuse_render/timeline.h"

namespace automuse::render {

struct RenderProgress {
  double fraction = 0.0;  // 0..1 of the frames encoded
  double fps = 0.0;       // frames encoded per second so far
  double eta_seconds = 0.0;
  int64_t frames_done = 0;
  int64_t frames_total = 0;
};

// Called on the rendering thread, at most about ten times a second and once at the end.
using ProgressCallback = std::function<void(const RenderProgress &)>;

struct RenderOptions {
  std::optional<std::filesystem::path> output_override;  // replaces timeline.output.path
  int encoder_threads = 0;                               // libx264 threads; 0 = automatic
  // Test hook: stop after composing (not encoding) this many frames and report the frame
  // sequence as if complete; unused (<0) normally.
  int64_t debug_frame_limit = -1;
  // Test hook: these encoders ("h264_nvenc", "libx264") fail at open as a refusing device or
  // driver would, so the fallback and the errors can be tested on a machine without a GPU.
  std::vector<std::string> debug_fail_encoders;
};

enum class RenderErrorKind {
  kNone,
  kInvalidTimeline,  // bad field or input file; nothing was encoded
  kCancelled,        // the cancel flag was set; no output file was left behind
  kCodec,            // FFmpeg or libass failed mid-render
  kIo,               // could not write or rename the output
};

// Where a render's CPU time went, in CPU seconds (all threads). The video encode is what is
// left: libx264's threads, muxing and the main thread.
struct RenderCpu {
  double prepare = 0;       // decoding and checking the inputs (images, clips, audio, subtitles)
  double audio_mix = 0;     // mixing, ducking and loudness measurement
  double composition = 0;   // drawing every frame (scenes, motion, transitions, subtitles)
  double audio_encode = 0;  // AAC
  double video_encode = 0;  // the rest: libx264, muxing, writing
  double total = 0;
};

// One encoder `auto` (or the timeline) tried, in order.
struct EncoderCandidate {
  std::string name;     // "h264_nvenc"
  bool opened = false;  // the one used
  std::string reason;   // why it could not be used ("no CUDA device: ..."); empty when opened
};

struct RenderResult {
  RenderErrorKind error_kind = RenderErrorKind::kNone;
  std::string error;  // human readable; for kInvalidTimeline it starts with the JSON path
  std::filesystem::path output;
  std::optional<std::filesystem::path> thumbnail;
  int64_t frames = 0;
  double duration = 0.0;
  double measured_lufs = 0.0;  // integrated loudness of the mix before any gain
  double applied_gain_db = 0.0;
  // Integrated loudness of the soundtrack as written, after the gain and the peak limiter
  // (the target, within 0.2 LU, when normalising a mix that is not silent).
  double final_lufs = 0.0;
  RenderCpu cpu;        // filled by a successful render
  std::string encoder;  // the H.264 encoder that wrote the video ("libx264")
  // Every encoder tried, in order, with its reason; also filled when none could be opened.
  std::vector<EncoderCandidate> encoder_candidates;
  // Things that do not stop a render but that the user should hear about, each starting with
  // the JSON path it is about ("scenes[2].image: ... is 640x480, enlarged 4.4x ...").
  std::vector<std::string> warnings;
  bool ok() const { return error_kind == RenderErrorKind::kNone; }
};

// FFmpeg's and libass's own messages (warnings about inputs, libx264's statistics, font
// fallbacks). FFmpeg's log is process-wide, so this is too: once the library is used, every
// av_log message of the process goes to the handler, never straight to stderr.
enum class LogLevel { kError, kWarning, kInfo, kDebug };
// Called on whichever thread logged (encoder threads too): must be thread-safe. One line
// per call, without its newline, prefixed with FFmpeg's "[component @ address]".
using LogHandler = std::function<void(LogLevel level, std::string_view message)>;
// Sends messages at `level` or more severe to `handler` (null: dropped). Until this is
// called, warnings and errors go to stderr. Any thread.
void set_log_handler(LogHandler handler, LogLevel level = LogLevel::kWarning);

// Checks every input: files exist and decode, transitions fit their scenes, and fills in
// automatic durations. Returns the first problem with its JSON path; `warnings` (if given)
// receives what RenderResult::warnings would.
std::optional<TimelineError> validate_timeline(Timeline &timeline,
                                               std::vector<std::string> *warnings = nullptr);

// Renders synchronously on the calling thread (plus one composition thread and the
// encoder's own threads). Validates first: on a bad input nothing is encoded. The output is
// written to a temporary file beside the target and renamed into place only when complete;
// on failure or cancel no file is left at the output path. `cancel` may be null.
RenderResult render(Timeline timeline, const RenderOptions &options,
                    const ProgressCallback &progress, const std::atomic<bool> *cancel);

}  // namespace automuse::render
