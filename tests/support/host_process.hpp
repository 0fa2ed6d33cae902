// tests/support/host_process.hpp — running automuse-host as a user would, from end-to-end
// tests, in a sandbox (its own XDG folders, config file and plugin folder): HostProcess is the
// child whose output a test reads while it runs (to find a URL it prints, to play the
// browser) and then waits for; run_host runs one command line to its end. Header-only;
// POSIX posix_spawn with pipes, one reader thread per stream.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/files.hpp"
#include "support/test_store.hpp"

extern char **environ;

namespace automuse::testing {

struct HostResult {
  int code = -1;
  std::string out, err;
};

// `s` as one single-quoted shell word.
inline std::string shell_quote(const std::string &s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The host under test: `built` (this build's), or AUTOMUSE_HOST_EXE when set.
inline std::string host_exe(const std::string &built) {
  const char *exe = std::getenv("AUTOMUSE_HOST_EXE");
  return exe && *exe ? exe : built;
}

// The plugin folder given to the host (--plugin-dir): `built` (this build's), or
// AUTOMUSE_TEST_PLUGIN_DIR when set (tests/plugins_out_of_tree runs the TikTok and Instagram
// host tests against their plugins built out of tree from the installed SDK).
inline std::string plugin_dir(const std::string &built) {
  const char *dir = std::getenv("AUTOMUSE_TEST_PLUGIN_DIR");
  return dir && *dir ? dir : built;
}

// The sandbox's environment: XDG_DATA_HOME and XDG_CONFIG_HOME under `root`. Every spawn
// helper here passes through it, so it also applies the tests' store switch to the sandbox's
// config (AUTOMUSE_TEST_STORE=postgres, test_store.hpp).
inline std::vector<std::string> sandbox_env(const std::filesystem::path &root) {
  use_test_store(root);
  return {"XDG_DATA_HOME=" + (root / "data").string(),
          "XDG_CONFIG_HOME=" + (root / "config").string()};
}

// `exe --plugin-dir PLUGIN_DIR --config ROOT/automuse.json ARGS...` as an argv.
inline std::vector<std::string> host_argv(const std::string &exe, const std::string &plugin_dir,
                                          const std::filesystem::path &root,
                                          const std::vector<std::string> &args) {
  std::vector<std::string> argv = {exe, "--plugin-dir", plugin_dir, "--config",
                                   (root / "automuse.json").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

class HostProcess {
 public:
  // Runs `argv` (argv[0] a path) with this process's environment, where `env` ("NAME=value")
  // adds or replaces variables; stdin is /dev/null, stdout and stderr are captured.
  HostProcess(const std::vector<std::string> &argv, const std::vector<std::string> &env) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (::pipe2(err, O_CLOEXEC) != 0) {
      ::close(out[0]);
      ::close(out[1]);
      throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    const std::vector<std::string> envs = merged_environment(env);
    std::vector<char *> args, envp;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    for (const auto &e : envs) envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);
    int rc = posix_spawn(&pid_, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
      ::close(out[0]);
      ::close(err[0]);
      throw std::runtime_error("cannot start " + argv[0]);
    }
    out_reader_ = std::thread(&HostProcess::read_all, this, out[0], &out_);
    err_reader_ = std::thread(&HostProcess::read_all, this, err[0], &err_);
  }

  ~HostProcess() {  // kills the child if it still runs
    if (!code_) wait(std::chrono::milliseconds(0));
    join_readers();
  }
  HostProcess(const HostProcess &) = delete;
  HostProcess &operator=(const HostProcess &) = delete;

  // The first match of `pattern` in stderr, waiting for it up to `timeout`.
  std::optional<std::string> wait_for_stderr(const std::regex &pattern,
                                             std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        std::smatch m;
        if (std::regex_search(err_, m, pattern)) return m.str(0);
      }
      if (std::chrono::steady_clock::now() > end) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // The exit code (128 + signal when killed), or nullopt after `timeout` (the child is then
  // killed; a zero timeout then gives 128 + SIGKILL).
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    if (code_) return code_;
    auto end = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) != pid_) {
      if (std::chrono::steady_clock::now() > end) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        finish(128 + SIGKILL);
        return timeout.count() == 0 ? code_ : std::nullopt;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    finish(exit_code(status));
    return code_;
  }

  // The exit code (128 + signal when killed), waiting as long as it takes.
  int wait() {
    if (code_) return *code_;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    finish(exit_code(status));
    return *code_;
  }

  pid_t pid() const { return pid_; }

  std::string out() const {
    std::lock_guard lock(mutex_);
    return out_;
  }
  std::string err() const {
    std::lock_guard lock(mutex_);
    return err_;
  }

 private:
  // environ with the variables `env` names replaced (a duplicate name would leave the
  // parent's value first, and getenv returns the first).
  static std::vector<std::string> merged_environment(const std::vector<std::string> &env) {
    auto name_of = [](const std::string &e) { return e.substr(0, e.find('=')); };
    std::vector<std::string> names;
    for (const auto &e : env) names.push_back(name_of(e));
    std::vector<std::string> out;
    for (char **e = environ; *e; ++e) {
      std::string entry(*e);
      if (std::find(names.begin(), names.end(), name_of(entry)) == names.end())
        out.push_back(std::move(entry));
    }
    out.insert(out.end(), env.begin(), env.end());
    return out;
  }

  static int exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  void read_all(int fd, std::string *into) {
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(mutex_);
      into->append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
  }

  // The child is gone: its output ends once every process holding the pipes has closed them.
  void finish(int code) {
    code_ = code;
    join_readers();
  }

  void join_readers() {
    if (out_reader_.joinable()) out_reader_.join();
    if (err_reader_.joinable()) err_reader_.join();
  }

  pid_t pid_ = -1;
  std::optional<int> code_;
  mutable std::mutex mutex_;
  std::string out_, err_;
  std::thread out_reader_, err_reader_;
};

// Runs the shell text `command` to its end in the sandbox under `root` (plus `env`), with no
// stdin. Its stderr is also left in ROOT/stderr.txt for a look after the fact.
inline HostResult run_in_sandbox(const std::filesystem::path &root, const std::string &command,
                                 std::vector<std::string> env = {}) {
  std::vector<std::string> all = sandbox_env(root);
  all.insert(all.end(), env.begin(), env.end());
  HostProcess p({"/bin/sh", "-c", command}, all);
  HostResult r;
  r.code = p.wait();
  r.out = p.out();
  r.err = p.err();
  std::ofstream(root / "stderr.txt", std::ios::binary) << r.err;
  return r;
}

// Runs `exe --plugin-dir PLUGIN_DIR --config ROOT/automuse.json ARGS` to its end in the sandbox
// under `root`; `args` is shell text (quote with shell_quote).
inline HostResult run_host(const std::string &exe, const std::string &plugin_dir,
                           const std::filesystem::path &root, const std::string &args) {
  return run_in_sandbox(root, exe + " --plugin-dir " + plugin_dir + " --config " +
                                  shell_quote((root / "automuse.json").string()) + " " + args);
}

}  // namespace automuse::testing
