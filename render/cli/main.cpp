// automuse-render: renders a timeline JSON file to a video from the command line, with a
// progress bar on a terminal; Ctrl-C cancels cleanly (no partial output is left behind).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string_view>
#include <vector>

#include "automuse_render/progress_bar.h"
#include "automuse_render/render.h"

namespace {

std::atomic<bool> g_cancel{false};

void on_signal(int) {
  g_cancel = true;
}

void draw_bar(const automuse::render::RenderProgress &p) {
  namespace ar = automuse::render;
  const std::string line =
      ar::progress_bar(p.fraction, ar::format_speed(p.fps, "fps"), p.eta_seconds);
  std::fprintf(stderr, "\r%s  ", line.c_str());
  std::fflush(stderr);
}

void print_warnings(const std::string &timeline_file, const std::vector<std::string> &warnings) {
  for (const std::string &w : warnings)
    std::cerr << "automuse-render: warning: " << timeline_file << ": " << w << "\n";
}

}  // namespace

int main(int argc, char **argv) {
  namespace ar = automuse::render;
  CLI::App app{"Render an AutoMuse timeline (JSON, see docs/timeline.md) to an MP4"};
  std::string timeline_file, output, write_ass, encoder;
  int threads = 0;
  bool quiet = false, verbose = false, check_only = false, cpu_stats = false;
  app.add_option("timeline", timeline_file, "timeline JSON file")->required();
  app.add_option("-o,--output", output, "output path (overrides output.path)");
  app.add_option("--threads", threads, "libx264 threads (0 = automatic)");
  app.add_option("--encoder", encoder,
                 "H.264 encoder, overrides output.encoder: " + ar::encoder_names());
  app.add_flag("-q,--quiet", quiet,
               "no progress bar, no warnings; of FFmpeg's messages, errors only");
  app.add_flag("-v,--verbose", verbose,
               "also FFmpeg's informational messages (libx264 statistics)");
  app.add_flag("--cpu-stats", cpu_stats,
               "print where the CPU time went (seconds per stage) on standard output");
  app.add_flag("--check", check_only, "validate the timeline and its inputs, render nothing");
  app.add_option("--write-ass", write_ass,
                 "also write the ASS subtitles that are burned in to this file (with --check: "
                 "only that)");
  CLI11_PARSE(app, argc, argv);
  // FFmpeg's and libass's messages, one per line; on a terminal over a cleared progress bar.
  ar::set_log_handler(
      [tty = isatty(STDERR_FILENO) != 0](ar::LogLevel, std::string_view m) {
        std::fprintf(stderr, "%sautomuse-render: %.*s\n", tty ? "\r\033[K" : "",
                     static_cast<int>(m.size()), m.data());
      },
      quiet     ? ar::LogLevel::kError
      : verbose ? ar::LogLevel::kInfo
                : ar::LogLevel::kWarning);

  ar::ParseResult parsed = ar::load_timeline(timeline_file);
  if (parsed.error) {
    std::cerr << "automuse-render: " << timeline_file << ": " << parsed.error->to_string() << "\n";
    return 2;
  }
  ar::Timeline &t = *parsed.timeline;
  if (!output.empty()) t.output.path = std::filesystem::absolute(output);
  if (!encoder.empty()) {
    t.output.encoder = ar::encoder_from_name(encoder);
    if (!t.output.encoder) {
      std::cerr << "automuse-render: --encoder: unknown encoder \"" << encoder
                << "\" (expected one of: " << ar::encoder_names() << ")\n";
      return 2;
    }
  }
  if (!write_ass.empty()) {
    // The same as the timeline's subtitles.write_ass: renamed into place with the video, or
    // by --check once the timeline is valid, without rendering.
    if (!t.subtitles) {
      std::cerr << "automuse-render: --write-ass: " << timeline_file << " has no subtitles\n";
      return 2;
    }
    t.subtitles->write_ass = std::filesystem::absolute(write_ass);
  }
  if (check_only) {
    std::vector<std::string> warnings;
    if (auto e = ar::validate_timeline(t, &warnings)) {
      std::cerr << "automuse-render: " << timeline_file << ": " << e->to_string() << "\n";
      return 2;
    }
    if (!quiet) print_warnings(timeline_file, warnings);
    std::cerr << "timeline OK: " << t.scenes.size() << " scenes, " << t.total_duration() << " s\n";
    return 0;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  // The bar redraws one line with '\r': only a terminal shows that; in a file or a pipe it
  // would be hundreds of lines of noise.
  const bool bar = !quiet && isatty(STDERR_FILENO);
  ar::ProgressCallback cb;
  if (bar) cb = draw_bar;
  ar::RenderOptions options;
  options.encoder_threads = threads;
  ar::RenderResult r = ar::render(t, options, cb, &g_cancel);
  if (bar) std::fputc('\n', stderr);
  if (!quiet) print_warnings(timeline_file, r.warnings);
  if (!r.ok()) {
    std::cerr << "automuse-render: "
              << (r.error_kind == ar::RenderErrorKind::kInvalidTimeline ? timeline_file + ": " : "")
              << r.error << "\n";
    return r.error_kind == ar::RenderErrorKind::kCancelled         ? 130
           : r.error_kind == ar::RenderErrorKind::kInvalidTimeline ? 2
                                                                   : 1;
  }
  if (!quiet) {
    std::fprintf(stderr,
                 "wrote %s (%lld frames, %.2f s; loudness %.1f LUFS (mix %.1f LUFS, gain %+.1f "
                 "dB))\n",
                 r.output.c_str(), static_cast<long long>(r.frames), r.duration, r.final_lufs,
                 r.measured_lufs, r.applied_gain_db);
    std::fprintf(stderr, "encoder: %s\n", r.encoder.c_str());
  }
  if (cpu_stats)
    std::printf(
        "cpu_seconds prepare %.3f audio_mix %.3f composition %.3f audio_encode %.3f "
        "video_encode %.3f total %.3f\n",
        r.cpu.prepare, r.cpu.audio_mix, r.cpu.composition, r.cpu.audio_encode, r.cpu.video_encode,
        r.cpu.total);
  if (cpu_stats) std::printf("encoder %s\n", r.encoder.c_str());
  return 0;
}
