// tests/soak/daemon_process.hpp — `automuse-host daemon` as a child the soak starts, kills
// (SIGKILL, from the test's thread or from a fake's hook on a server thread) and starts again.
// The pid is an atomic so a hook can kill whichever daemon runs now; it is cleared only once
// the child is reaped, so a hook never signals a recycled pid. Output of every start is
// appended to one log file in the sandbox.
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

namespace automuse::testing {

class DaemonProcess {
 public:
  // `command`: the shell command that runs the host in the sandbox (it must `exec`, so that
  // the child's pid is the host's own).
  explicit DaemonProcess(std::string command) : command_(std::move(command)) {}
  ~DaemonProcess() {
    if (pid_t pid = pid_.load(); pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  DaemonProcess(const DaemonProcess &) = delete;
  DaemonProcess &operator=(const DaemonProcess &) = delete;

  void start() {
    pid_t pid = ::fork();
    if (pid == 0) {
      // A soak killed from outside (a ctest timeout) takes its daemon with it.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char *>(nullptr));
      ::_exit(127);
    }
    pid_.store(pid);
    ++starts_;
  }

  // SIGKILL now (safe from any thread, also when it has just died). True if it was running.
  bool kill9() {
    pid_t pid = pid_.load();
    return pid > 0 && ::kill(pid, SIGKILL) == 0;
  }

  // Reaps the child if it has ended: its wait status, or nullopt while it runs.
  std::optional<int> reap() {
    pid_t pid = pid_.load();
    if (pid <= 0) return std::nullopt;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) != pid) return std::nullopt;
    pid_.store(0);
    return status;
  }

  // SIGTERM, then waits for the graceful stop up to `timeout` (SIGKILL after that). The exit
  // code, or -signal when it was killed.
  int stop(std::chrono::seconds timeout) {
    pid_t pid = pid_.load();
    if (pid <= 0) return 0;
    ::kill(pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto status = reap())
        return WIFEXITED(*status) ? WEXITSTATUS(*status) : -WTERMSIG(*status);
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid_.store(0);
        return -SIGKILL;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  bool running() const { return pid_.load() > 0; }
  int starts() const { return starts_; }

 private:
  std::string command_;
  std::atomic<pid_t> pid_{0};
  int starts_ = 0;
};

}  // namespace automuse::testing
