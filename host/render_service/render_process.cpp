// host/render_service/render_process.cpp — spawning, feeding, relaying, cancelling and reaping
// the render worker (see render_process.hpp).
#include "render_service/render_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "render_service/render_wire.hpp"

extern char **environ;

namespace automuse::render_service {

namespace fs = std::filesystem;

WorkerLookup find_render_worker() {
  constexpr const char *kName = "automuse-render-worker";
  auto usable = [](const fs::path &p) {
    std::error_code ec;
    return !p.empty() && fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
  };
  if (const char *env = std::getenv("AUTOMUSE_RENDER_WORKER"); env && *env) {
    if (usable(env)) return {fs::path(env), ""};
    // Explicitly set but unusable: do not guess another.
    return {std::nullopt,
            std::string("$AUTOMUSE_RENDER_WORKER=") + env + " is not an executable file"};
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (const fs::path &p : {dir / kName, dir / ".." / "libexec" / "automuse" / kName})
      if (usable(p)) return {p, ""};
  }
#ifdef AUTOMUSE_RENDER_WORKER_BUILD_PATH
  if (usable(AUTOMUSE_RENDER_WORKER_BUILD_PATH))
    return {fs::path(AUTOMUSE_RENDER_WORKER_BUILD_PATH), ""};
#endif
  return {};
}

void RenderCancel::cancel() {
  flag_ = true;
  std::lock_guard lock(mu_);
  if (child_ > 0) ::kill(child_, SIGTERM);
}

// One running worker: its pid (registered with the cancel so that cancelling signals it) and
// the host's ends of its stdin (a socket: written without SIGPIPE) and stdout (a pipe).
class WorkerChild {
 public:
  WorkerChild(const fs::path &exe, RenderCancel &cancel);
  ~WorkerChild();  // reaps the child if wait() was not called
  WorkerChild(const WorkerChild &) = delete;
  WorkerChild &operator=(const WorkerChild &) = delete;

  pid_t pid() const noexcept { return pid_; }
  // Writes all of `text` to the child's stdin and closes it; false if the child is gone.
  bool send(const std::string &text);
  // The next chunk of the child's stdout; "" at its end.
  std::string read_some();
  // Reaps the child: its wait status.
  int wait();

 private:
  RenderCancel &cancel_;
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  bool reaped_ = false;
};

WorkerChild::WorkerChild(const fs::path &exe, RenderCancel &cancel) : cancel_(cancel) {
  int sv[2], pipe_fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw std::runtime_error(std::string("cannot create a socket: ") + std::strerror(errno));
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(sv[0]), ::close(sv[1]);
    throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(err));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // stdin and stdout are the child's ends (dup2 clears close-on-exec); stderr is the host's,
  // where a crashing library's last words belong; every other descriptor is closed in it.
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::string path = exe.string();
  std::vector<char *> argv{path.data(), nullptr};
  std::lock_guard lock(cancel_.mu_);  // a cancel now waits for the pid, then signals it
  const int rc = ::posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sv[1]), ::close(pipe_fds[1]);
  in_ = sv[0], out_ = pipe_fds[0];
  if (rc != 0) {
    ::close(in_), ::close(out_);
    reaped_ = true;
    throw std::runtime_error(std::string("cannot start it: ") + std::strerror(rc));
  }
  cancel_.child_ = pid_;
  if (cancel_.flag_) ::kill(pid_, SIGTERM);  // cancelled before the child existed
}

WorkerChild::~WorkerChild() {
  if (in_ >= 0) ::close(in_);
  if (out_ >= 0) ::close(out_);
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

bool WorkerChild::send(const std::string &text) {
  bool ok = true;
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::send(in_, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  ::close(in_);
  in_ = -1;
  return ok;
}

std::string WorkerChild::read_some() {
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(out_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {};
    return std::string(buf, static_cast<size_t>(n));
  }
}

int WorkerChild::wait() {
  {
    // From here on a cancel must not signal the pid: once reaped, it may be another process's.
    std::lock_guard lock(cancel_.mu_);
    cancel_.child_ = 0;
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

namespace {

// "was killed by signal 9 (Killed)" / "exited with status 3".
std::string describe_exit(int status) {
  if (WIFSIGNALED(status))
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           ::strsignal(WTERMSIG(status)) + ")";
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

// The temporaries a render writes beside each of its outputs (render/src/temp_file.cpp:
// ".NAME.partial-XXXXXX.EXT"), removed when the worker died too hard to remove them itself.
void remove_partials(const fs::path &target) {
  const std::string stem = "." + target.filename().string() + ".partial-";
  const std::string ext = target.extension().string();
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(target.parent_path(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() == stem.size() + 6 + ext.size() && name.starts_with(stem) &&
        name.ends_with(ext))
      fs::remove(e.path(), ec);
  }
}

void remove_partials_of(const RenderRequest &request) {
  auto parsed = automuse::render::parse_timeline(
      request.timeline_json,
      request.base_dir.empty() ? fs::current_path() : fs::path(request.base_dir));
  if (!parsed.timeline) return;
  const automuse::render::Timeline &t = *parsed.timeline;
  remove_partials(t.output.path);
  if (t.output.thumbnail) remove_partials(t.output.thumbnail->path);
  if (t.subtitles && t.subtitles->write_ass) remove_partials(*t.subtitles->write_ass);
}

// Reads the child's lines until its stdout ends: progress and log lines to the callbacks, the
// outcome kept. A line that is not one of the wire's, or a second outcome, is a broken worker.
struct Relayed {
  std::optional<RenderOutcome> outcome;
  std::string problem;
};

Relayed relay(WorkerChild &child, const automuse::render::ProgressCallback &progress,
              const automuse::render::LogHandler &log) {
  Relayed r;
  std::string pending;
  for (std::string chunk; !(chunk = child.read_some()).empty();) {
    pending += chunk;
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      const std::string_view line(pending.data() + start, nl - start);
      auto m = wire::decode_line(line);
      if (!m || (m->kind == wire::Message::Kind::kOutcome && r.outcome)) {
        if (r.problem.empty())
          r.problem = "wrote an unexpected line: " + std::string(line.substr(0, 200));
        ::kill(child.pid(), SIGKILL);
      } else if (m->kind == wire::Message::Kind::kProgress) {
        if (progress) progress(m->progress);
      } else if (m->kind == wire::Message::Kind::kLog) {
        if (log) log(m->level, m->message);
      } else {
        r.outcome = std::move(m->outcome);
      }
    }
    pending.erase(0, start);
  }
  return r;
}

}  // namespace

RenderOutcome run_in_worker(const fs::path &worker, const RenderRequest &request,
                            const automuse::render::ProgressCallback &progress,
                            const automuse::render::LogHandler &log, RenderCancel &cancel) {
  const std::string name = "the render worker (" + worker.string();
  std::optional<WorkerChild> child;
  try {
    child.emplace(worker, cancel);
  } catch (const std::exception &e) {
    return RenderOutcome::failure(AM_INTERNAL, name + "): " + e.what());
  }
  child->send(wire::encode_request(request));  // a child that is gone says why below
  Relayed r = relay(*child, progress, log);
  const pid_t pid = child->pid();
  const int status = child->wait();
  if (r.problem.empty() && r.outcome) return std::move(*r.outcome);
  // Cancelled before the worker could catch the signal: it had not started rendering yet.
  if (r.problem.empty() && cancel.cancelled() && WIFSIGNALED(status) &&
      (WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGINT))
    return RenderOutcome::failure(AM_CANCELLED, "cancelled");
  remove_partials_of(request);
  const std::string who = name + ", pid " + std::to_string(pid) + ") ";
  if (!r.problem.empty()) return RenderOutcome::failure(AM_INTERNAL, who + r.problem);
  return RenderOutcome::failure(AM_INTERNAL,
                                who + describe_exit(status) + " before reporting an outcome");
}

}  // namespace automuse::render_service
