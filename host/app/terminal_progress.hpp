// host/app/terminal_progress.hpp — the command line's live progress. While `--plugin P ACTION`
// runs with stderr on a terminal, each step of each job is one line, redrawn in place: a
// running step with its time so far, a step a service reports progress of (the render's
// frames, the upload's bytes) with a bar (percent, speed, time left: automuse-render's bar,
// render/progress_bar.h), an ended step with its time and note. The HTTP service's "upload"
// progress (http/upload_progress.hpp) goes to the plugin's running "upload" step, or, for a
// cross-post's upload, to the running "share …" step.
// It learns the steps as the web API's events do (core/job_observer.hpp): the plugins' "step
// NAME: start/done/failed" log lines and the services' progress. The console's other lines
// (warnings, errors, and at -v the debug ones) are printed above the step lines; the
// informational lines the steps stand for go to the log file only. Not on a terminal, under
// --quiet, with --log-json or with TERM=dumb it is not used: the plain log lines come out as
// they always did.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/host_context.hpp"
#include "core/job_observer.hpp"

namespace automuse::app {

class TerminalProgress : public core::JobObserver {
 public:
  // Whether the command line draws its progress: see the header comment.
  static bool wanted(const HostContext &context);

  explicit TerminalProgress(std::FILE *out = stderr) : out_(out) {}
  // Installs `progress` as the process's job observer and console writer; uninstalls both
  // when the returned handle is dropped (after a last drawing).
  static std::shared_ptr<void> install(std::shared_ptr<TerminalProgress> progress);

  void logged(const am_job &job, int level, std::string_view message) override;
  void progress(const am_job &job, std::string_view step, const core::StepProgress &p) override;
  // A line of the console (formatted), printed above the step lines.
  void console_line(std::string_view line);
  // Draws the lines as they are and leaves them on the screen: what is printed next (a
  // job's result on stdout) comes below them, and later steps below that.
  void settle();

 private:
  using Clock = std::chrono::steady_clock;
  struct Step {
    const am_job *job = nullptr;
    std::string label;              // the step's name, with its job's when several jobs run
    std::string state = "running";  // running, done, failed
    Clock::time_point started = Clock::now();
    double seconds = 0;  // once ended
    std::string note;
    bool has_bar = false;
    core::StepProgress bar;
    std::string unit;  // bar.unit's text, kept
  };
  Step &step_locked(const am_job &job, std::string_view name);
  // The line a service's progress of step `name` goes to: that step's while it runs, else
  // the job's latest running step, else step_locked's.
  Step &bar_step_locked(const am_job &job, std::string_view name);
  std::string line_of(const Step &s, Clock::time_point now, size_t width) const;
  // Redraws the lines still in place; unless `force`, at most every 100 ms.
  void redraw_locked(bool force);
  void write_locked(const std::string &text);

  std::mutex mutex_;
  std::FILE *out_;
  std::vector<Step> steps_;
  std::vector<const am_job *> jobs_;  // every job seen, in order
  size_t settled_ = 0;                // steps_[0, settled_) are left on the screen for good
  size_t drawn_ = 0;                  // lines of steps_ from settled_ on the screen now
  Clock::time_point last_draw_{};
};

}  // namespace automuse::app
