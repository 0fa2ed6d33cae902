// host/app/terminal_progress.cpp — drawing the steps of the running jobs on a terminal.
#include "app/terminal_progress.hpp"

#include <automuse_render/progress_bar.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "core/job.hpp"
#include "log/logging.hpp"
#include "schedule/job_events.hpp"

namespace automuse::app {
namespace {

size_t terminal_width(std::FILE *out) {
  winsize w{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &w) == 0 && w.ws_col > 10) return w.ws_col;
  return 80;
}

std::string seconds_text(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", s);
  return text;
}

}  // namespace

bool TerminalProgress::wanted(const HostContext &context) {
  const char *term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) && !(term && std::string_view(term) == "dumb") &&
         context.options().verbosity >= 0 && !context.options().log_json;
}

std::shared_ptr<void> TerminalProgress::install(std::shared_ptr<TerminalProgress> progress) {
  core::set_job_observer(progress);
  // The console's lines go above the steps; the informational ones are what the steps show.
  log::set_console_writer(
      [weak = std::weak_ptr(progress)](spdlog::level::level_enum level, std::string_view line) {
        if (level == spdlog::level::info) return;
        if (auto p = weak.lock()) p->console_line(line);
      });
  return std::shared_ptr<void>(nullptr, [progress](void *) {
    progress->settle();
    log::set_console_writer(nullptr);
    core::set_job_observer(nullptr);
  });
}

TerminalProgress::Step &TerminalProgress::step_locked(const am_job &job, std::string_view name) {
  // The latest line of that name in that job (a step may run again: a retry is a new line).
  for (auto it = steps_.rbegin(); it != steps_.rend(); ++it)
    if (it->job == &job && it->label == name) return *it;
  if (std::find(jobs_.begin(), jobs_.end(), &job) == jobs_.end()) jobs_.push_back(&job);
  Step s;
  s.job = &job;
  s.label = std::string(name);
  steps_.push_back(std::move(s));
  return steps_.back();
}

TerminalProgress::Step &TerminalProgress::bar_step_locked(const am_job &job,
                                                          std::string_view name) {
  for (auto it = steps_.rbegin(); it != steps_.rend(); ++it)
    if (it->job == &job && it->label == name && it->state == "running") return *it;
  // A service's step under another name: a cross-post's upload runs in its "share …" step.
  for (auto it = steps_.rbegin(); it != steps_.rend(); ++it)
    if (it->job == &job && it->state == "running") return *it;
  return step_locked(job, name);
}

void TerminalProgress::logged(const am_job &job, int, std::string_view message) {
  auto e = schedule::step_event_of(message);
  if (!e) return;
  std::lock_guard lock(mutex_);
  if (e->kind == "step_started") {
    // A new line, even for a name seen before (a retried step).
    Step s;
    s.job = &job;
    s.label = e->name;
    steps_.push_back(std::move(s));
    if (std::find(jobs_.begin(), jobs_.end(), &job) == jobs_.end()) jobs_.push_back(&job);
  } else {
    Step &s = step_locked(job, e->name);
    s.state = e->kind == "step_finished" ? "done" : "failed";
    s.seconds = std::chrono::duration<double>(Clock::now() - s.started).count();
    s.note = e->note.value_or("");
    if (s.has_bar && s.state == "done") s.bar.fraction = 1;
  }
  redraw_locked(true);
}

void TerminalProgress::progress(const am_job &job, std::string_view step,
                                const core::StepProgress &p) {
  std::lock_guard lock(mutex_);
  Step &s = bar_step_locked(job, step);
  s.has_bar = true;
  s.unit = std::string(p.unit);
  s.bar = p;
  s.bar.unit = s.unit;
  redraw_locked(p.fraction >= 1);
}

void TerminalProgress::console_line(std::string_view line) {
  std::lock_guard lock(mutex_);
  // Over the step lines still in place, then those again below it.
  std::string text = drawn_ ? "\033[" + std::to_string(drawn_) + "F\033[J" : std::string();
  text.append(line);
  text += "\n";
  drawn_ = 0;
  write_locked(text);
  redraw_locked(true);
}

void TerminalProgress::settle() {
  std::lock_guard lock(mutex_);
  redraw_locked(true);
  settled_ = steps_.size();
  drawn_ = 0;
}

std::string TerminalProgress::line_of(const Step &s, Clock::time_point now, size_t width) const {
  std::string label = s.label;
  if (jobs_.size() > 1) label = s.job->name() + " " + label;
  char head[96];
  std::snprintf(head, sizeof head, "  %-12s ", label.c_str());
  std::string line = head;
  if (s.has_bar) {
    std::string bar = render::progress_bar(
        s.bar.fraction,
        s.bar.per_second >= 0 ? render::format_speed(s.bar.per_second, s.bar.unit) : std::string(),
        s.bar.eta_seconds);
    // An ended step keeps its bar and percent; its speed and time left are over.
    if (s.state != "running") bar.resize(bar.find('%') + 1);
    line += bar + "  ";
  }
  if (s.state == "running") {
    line += "running " + seconds_text(std::chrono::duration<double>(now - s.started).count());
  } else {
    line += s.state == "done" ? "done in " + seconds_text(s.seconds)
                              : "failed after " + seconds_text(s.seconds);
    if (!s.note.empty()) line += s.state == "done" ? " (" + s.note + ")" : ": " + s.note;
  }
  // A line wider than the terminal would wrap and throw the redrawing off by a line.
  if (line.size() >= width) line.resize(width - 1);
  return line;
}

void TerminalProgress::redraw_locked(bool force) {
  const auto now = Clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const size_t width = terminal_width(out_);
  std::string text = drawn_ ? "\033[" + std::to_string(drawn_) + "F" : std::string();
  for (size_t i = settled_; i < steps_.size(); ++i)
    text += "\033[2K" + line_of(steps_[i], now, width) + "\n";
  drawn_ = steps_.size() - settled_;
  write_locked(text);
}

void TerminalProgress::write_locked(const std::string &text) {
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace automuse::app
