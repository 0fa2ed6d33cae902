// tests/oauth/host_process.hpp — automuse-host as a child process whose output the test reads
// while it runs (to find the authorize URL it prints and play the browser), then waits for.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace automuse::testing {

class HostProcess {
 public:
  // Runs `argv` (argv[0] a path) with `env` added to this process's environment; stdin is
  // /dev/null, stdout and stderr are captured.
  HostProcess(const std::vector<std::string> &argv, const std::vector<std::string> &env);
  ~HostProcess();  // kills the child if it still runs
  HostProcess(const HostProcess &) = delete;
  HostProcess &operator=(const HostProcess &) = delete;

  // The first match of `pattern` in stderr, waiting for it up to `timeout`.
  std::optional<std::string> wait_for_stderr(const std::regex &pattern,
                                             std::chrono::milliseconds timeout);
  // The exit code (128 + signal when killed), or nullopt after `timeout` (the child is then
  // killed).
  std::optional<int> wait(std::chrono::milliseconds timeout);

  std::string out() const;
  std::string err() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> code_;
  mutable std::mutex mutex_;
  std::string out_, err_;
  std::thread out_reader_, err_reader_;
};

}  // namespace automuse::testing
