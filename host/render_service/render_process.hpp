// host/render_service/render_process.hpp — running one render in an automuse-render-worker child
// process (render_worker_main.cpp): finding the executable, spawning it at the calling thread's
// nice value, feeding it the request, relaying its lines, cancelling it with SIGTERM and
// reaping it. A child that dies without an outcome is an AM_INTERNAL naming the worker and the
// signal or exit status, and its temporary files are removed.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "render_service/render_request.hpp"

namespace automuse::render_service {

// Where the worker executable is, or why there is none to use.
struct WorkerLookup {
  std::optional<std::filesystem::path> path;
  // When path is empty: "" if none was found, else why the explicit one cannot be used
  // ("$AUTOMUSE_RENDER_WORKER=/x is not an executable file").
  std::string problem;
};

// $AUTOMUSE_RENDER_WORKER (set but unusable: no other is guessed), else next to the running
// executable, else <exe>/../libexec/automuse/, else where this build put it.
WorkerLookup find_render_worker();

// A render's cancel flag, and the child to signal when it is set. Any thread.
class RenderCancel {
 public:
  void cancel();  // sets the flag; SIGTERM to the running child, if any
  bool cancelled() const noexcept { return flag_; }
  const std::atomic<bool> *flag() const noexcept { return &flag_; }

 private:
  friend class WorkerChild;
  std::atomic<bool> flag_{false};
  std::mutex mu_;
  pid_t child_ = 0;  // set while a child runs that is not yet reaped
};

// Runs `request` in a new worker process and blocks the calling thread until it has been
// reaped. Progress and log lines go to the callbacks on this thread, in order.
RenderOutcome run_in_worker(const std::filesystem::path &worker, const RenderRequest &request,
                            const automuse::render::ProgressCallback &progress,
                            const automuse::render::LogHandler &log, RenderCancel &cancel);

}  // namespace automuse::render_service
