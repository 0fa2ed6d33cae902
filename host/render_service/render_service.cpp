// host/render_service/render_service.cpp — the automuse.render/1 table: each render runs in an
// automuse-render-worker child process (render_process.hpp) started from the job's worker-pool
// thread, or in this process when there is no worker executable.
#include "render_service/render_service.hpp"

#include <automuse_render/render.h>

#include <automuse/cpp/str.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <mutex>

#include "core/job.hpp"
#include "core/job_observer.hpp"
#include "log/logging.hpp"
#include "render_service/render_process.hpp"

namespace automuse::render_service {
namespace {

std::mutex g_settings_mu;
RenderSettings g_settings;

RenderSettings settings() {
  std::lock_guard lock(g_settings_mu);
  return g_settings;
}

// FFmpeg's and libass's messages, from this process or relayed from a render worker, go to
// the host's log as "ffmpeg": warnings and errors as such, the chatty informational lines
// (libx264's statistics) at debug, so the console stays clean.
void log_ffmpeg(automuse::render::LogLevel level, std::string_view message) {
  using automuse::render::LogLevel;
  const auto l = level == LogLevel::kError     ? spdlog::level::err
                 : level == LogLevel::kWarning ? spdlog::level::warn
                 : level == LogLevel::kInfo    ? spdlog::level::debug
                                               : spdlog::level::trace;
  automuse::log::write("ffmpeg", l, message);
}

struct RenderOp {
  std::string timeline_json;
  std::string base_dir;
  RenderCancel cancel;
  am_render_progress_fn progress = nullptr;
  am_render_done_fn done = nullptr;
  void *user = nullptr;
};

void finish(const std::shared_ptr<am_job> &job, am_op_id id, const std::shared_ptr<RenderOp> &op,
            RenderOutcome outcome) {
  // The renderer's warnings ("scenes[2].image: ... enlarged 4.4x ...") go to the log too.
  for (const std::string &w : outcome.warnings)
    automuse::log::write("render", spdlog::level::warn, w);
  job->complete_op(id, [op, o = std::move(outcome)] {
    op->done(op->user, o.status, am::to_am_str(o.result), am::to_am_str(o.error));
  });
}

// Progress for the observer and the plugin, or none when nobody listens.
automuse::render::ProgressCallback progress_poster(const std::shared_ptr<am_job> &job,
                                                   const std::shared_ptr<RenderOp> &op) {
  auto observer = automuse::core::job_observer();
  if (!op->progress && !observer) return {};
  return [job, op, observer](const automuse::render::RenderProgress &p) {
    am_render_progress c{sizeof(am_render_progress),
                         p.fraction,
                         p.fps,
                         p.eta_seconds,
                         p.frames_done,
                         p.frames_total};
    // Posted before the completion, so it is delivered before it (the strand is FIFO). The
    // observer hears it there too, not on this thread: renders run niced (core/runtime.hpp),
    // and a niced thread holding the store's write lock would hold up every watcher.
    job->post([job, op, c, observer] {
      if (observer) observer->progress(*job, "render", {c.fraction, c.fps, "fps", c.eta_seconds});
      if (op->progress) op->progress(op->user, &c);
    });
  };
}

void run(const std::shared_ptr<am_job> &job, am_op_id id, const std::shared_ptr<RenderOp> &op) {
  if (op->cancel.cancelled())
    return finish(job, id, op, RenderOutcome::failure(AM_CANCELLED, "cancelled"));
  const RenderRequest request{op->timeline_json, op->base_dir, settings().encoder};
  const auto progress = progress_poster(job, op);
  // In a child process started from this (niced) thread: the render's memory is returned when
  // it ends and a crash ends only it (docs/plugin-development.md, "Render").
  const WorkerLookup worker = find_render_worker();
  if (worker.path)
    return finish(job, id, op,
                  run_in_worker(*worker.path, request, progress, log_ffmpeg, op->cancel));
  if (worker.problem.empty())
    automuse::log::write("render", spdlog::level::debug,
                         "no automuse-render-worker found: rendering in this process");
  else
    automuse::log::write("render", spdlog::level::warn,
                         worker.problem + ": rendering in this process");
  finish(job, id, op, run_render(request, progress, op->cancel.flag()));
}

am_op_id render(am_job *job, am_str timeline_json, am_str base_dir, am_render_progress_fn progress,
                am_render_done_fn done, void *user) {
  auto op = std::make_shared<RenderOp>();
  op->timeline_json = am::to_string(timeline_json);
  op->base_dir = am::to_string(base_dir);
  op->progress = progress;
  op->done = done;
  op->user = user;
  auto self = job->shared_from_this();
  // Cancelling sets the flag and signals the worker; the render stops within a frame, removes
  // its temporary file and reports itself cancelled, so the output path is clean when done
  // arrives (with AM_CANCELLED, from run()).
  am_op_id id = job->add_op([op](am_op_id) { op->cancel.cancel(); });
  boost::asio::post(job->workers(), [self, id, op] { run(self, id, op); });
  return id;
}

void cancel(am_job *job, am_op_id op) {
  job->cancel_op(op);
}

constexpr am_render_service kTable = {sizeof(am_render_service), render, cancel};

}  // namespace

void configure(RenderSettings s) {
  std::lock_guard lock(g_settings_mu);
  g_settings = std::move(s);
}

const am_render_service *render_service() {
  // FFmpeg's messages from every other FFmpeg user in the process (and from in-process
  // renders) go to the host's log; the level threshold is the worker's too.
  static std::once_flag once;
  std::call_once(once, [] { automuse::render::set_log_handler(log_ffmpeg, kFfmpegLogThreshold); });
  return &kTable;
}

}  // namespace automuse::render_service
