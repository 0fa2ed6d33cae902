// host/render_service/render_worker_main.cpp — automuse-render-worker: one render per process, so
// that the render's memory (libx264's buffers, frames, libass) goes back to the system when it
// ends, a crash in FFmpeg or libass takes down only this render, and the render runs at the
// nice value of the host thread that started it. Reads one request on stdin (render_wire.hpp),
// writes progress, log and outcome lines on stdout, and exits. SIGTERM or SIGINT cancel.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <mutex>
#include <string>

#include "render_service/render_request.hpp"
#include "render_service/render_wire.hpp"

namespace {

using namespace automuse::render_service;

// Set from the signal handler: a lock-free atomic store is async-signal-safe.
std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_cancel_signal(int) {
  g_cancel.store(true);
}

void install_cancel_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_cancel_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
}

// One line on stdout, whole: the renderer's thread (progress) and FFmpeg's threads (log) write.
void emit(const std::string &line) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::string out = line + '\n';
  for (size_t done = 0; done < out.size();) {
    ssize_t n = ::write(STDOUT_FILENO, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the host is gone; the death signal ends this process
    done += static_cast<size_t>(n);
  }
}

std::string read_stdin() {
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

int main(int argc, char **argv) {
  if (argc > 1) {
    std::fprintf(stderr,
                 "%s: a helper of automuse-host; it reads one render request on stdin, writes "
                 "JSON lines on stdout and takes no arguments\n",
                 argv[0]);
    return 2;
  }
  install_cancel_handlers();
  // A host that dies must not leave its render running; if it died before this line, the
  // signal will never come, so look.
  const pid_t parent = ::getppid();
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent || parent == 1) return 1;
  RenderRequest request;
  try {
    request = wire::decode_request(read_stdin());
  } catch (const std::exception &e) {
    emit(wire::outcome_line(RenderOutcome::failure(AM_INTERNAL, e.what())));
    return 1;
  }
  // The same messages and threshold as the host's own handler (render_service.cpp), which
  // maps their levels.
  automuse::render::set_log_handler(
      [](automuse::render::LogLevel level, std::string_view message) {
        emit(wire::log_line(level, message));
      },
      kFfmpegLogThreshold);
  const RenderOutcome outcome = run_render(
      request, [](const automuse::render::RenderProgress &p) { emit(wire::progress_line(p)); },
      &g_cancel);
  emit(wire::outcome_line(outcome));
  return 0;
}
