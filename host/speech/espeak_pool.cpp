// host/speech/espeak_pool.cpp — spawning, talking to and reaping the espeak-ng workers.
#include "speech/espeak_pool.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

#include "speech/espeak_wire.hpp"
#include "speech/word_timing.hpp"

extern char **environ;

namespace automuse::speech {

namespace fs = std::filesystem;

std::optional<fs::path> find_espeak_worker() {
  constexpr const char *kName = "automuse-espeak-worker";
  auto usable = [](const fs::path &p) { return !p.empty() && ::access(p.c_str(), X_OK) == 0; };
  if (const char *env = std::getenv("AUTOMUSE_ESPEAK_WORKER"); env && *env) {
    if (usable(env)) return fs::path(env);
    return std::nullopt;  // explicitly set but unusable: do not guess another
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (const fs::path &p : {dir / kName, dir / ".." / "libexec" / "automuse" / kName})
      if (usable(p)) return p;
  }
#ifdef AUTOMUSE_ESPEAK_WORKER_BUILD_PATH
  if (usable(AUTOMUSE_ESPEAK_WORKER_BUILD_PATH)) return fs::path(AUTOMUSE_ESPEAK_WORKER_BUILD_PATH);
#endif
  return std::nullopt;
}

EspeakPool::EspeakPool(fs::path worker, unsigned size)
    : worker_path_(std::move(worker)), size_(std::max(1u, size)) {}

EspeakPool::~EspeakPool() {
  std::lock_guard lock(mutex_);
  // Busy workers cannot exist here: synthesize() holds no reference past its return, and the
  // pool outlives its users. Closing the socket ends a worker's read loop.
  for (Worker &w : idle_) discard(w);
  idle_.clear();
}

EspeakPool *EspeakPool::shared() {
  static std::unique_ptr<EspeakPool> pool = [] {
    std::unique_ptr<EspeakPool> p;
    if (auto path = find_espeak_worker()) {
      unsigned cores = std::thread::hardware_concurrency();
      p = std::make_unique<EspeakPool>(*path, std::clamp(cores, 2u, 8u));
    }
    return p;
  }();
  return pool.get();
}

unsigned EspeakPool::started() const {
  std::lock_guard lock(mutex_);
  return started_;
}

EspeakPool::Worker EspeakPool::spawn() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw SpeechError("espeak-ng worker",
                      std::string("cannot create a socket: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // The child's stdin and stdout are its end of the socket (dup2 clears close-on-exec); the
  // host's other descriptors (sockets, databases) are closed in it.
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::string exe = worker_path_.string();
  std::vector<char *> argv{exe.data(), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    throw SpeechError("espeak-ng worker", "cannot start " + exe + ": " + std::strerror(rc));
  }
  return Worker{pid, sv[0]};
}

void EspeakPool::discard(Worker &w) {
  if (w.fd >= 0) ::close(w.fd);
  if (w.pid > 0) {
    // A closed socket ends a healthy worker at once; one that is stuck gets killed.
    int status = 0;
    pid_t got = 0;
    for (int i = 0; i < 100 && (got = ::waitpid(w.pid, &status, WNOHANG)) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (got == 0) {
      ::kill(w.pid, SIGKILL);
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  w = Worker{};
}

EspeakPool::Worker EspeakPool::acquire() {
  std::unique_lock lock(mutex_);
  free_.wait(lock, [&] { return !idle_.empty() || live_ < size_; });
  if (!idle_.empty()) {
    Worker w = idle_.back();
    idle_.pop_back();
    return w;
  }
  ++live_;
  lock.unlock();
  try {
    Worker w = spawn();
    lock.lock();
    ++started_;
    return w;
  } catch (...) {
    lock.lock();
    --live_;
    free_.notify_one();
    throw;
  }
}

void EspeakPool::release(Worker w) {
  std::lock_guard lock(mutex_);
  if (w.fd >= 0) {
    idle_.push_back(w);
  } else {
    --live_;
  }
  free_.notify_one();
}

EspeakOutput EspeakPool::synthesize(const std::string &text, const VoiceSettings &settings,
                                    WorkerStamp *stamp) {
  validate_voice_settings(settings);
  const std::string request = wire::encode(wire::Request{settings, text});
  std::string failure;
  for (int attempt = 0; attempt < 2; ++attempt) {
    Worker w = acquire();
    std::optional<wire::Answer> answer;
    try {
      if (wire::write_frame(w.fd, request)) {
        if (auto payload = wire::read_frame(w.fd)) answer = wire::decode_answer(*payload);
      }
    } catch (const SpeechError &e) {
      failure = e.what();
    }
    if (!answer) {
      // The worker died or spoke nonsense: replace it and try once more with a fresh one.
      if (failure.empty()) failure = "the worker process exited";
      discard(w);
      release(w);
      continue;
    }
    release(w);
    if (stamp) *stamp = WorkerStamp{answer->pid, answer->started_ns, answer->finished_ns};
    if (!answer->ok) throw SpeechError(answer->field, answer->message);
    return std::move(answer->output);
  }
  throw SpeechError("espeak-ng worker", failure + " (" + worker_path_.string() + ")");
}

}  // namespace automuse::speech
