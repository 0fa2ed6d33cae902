// tests/oauth/host_process.cpp — posix_spawn with pipes, one reader thread per stream.
#include "host_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

extern char **environ;

namespace automuse::testing {

HostProcess::HostProcess(const std::vector<std::string> &argv,
                         const std::vector<std::string> &env) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  std::vector<std::string> envs;
  for (char **e = environ; *e; ++e) envs.emplace_back(*e);
  for (const auto &e : env) envs.push_back(e);
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
  auto reader = [this](int fd, std::string *into) {
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(mutex_);
      into->append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
  };
  out_reader_ = std::thread(reader, out[0], &out_);
  err_reader_ = std::thread(reader, err[0], &err_);
}

HostProcess::~HostProcess() {
  if (!code_) wait(std::chrono::milliseconds(0));
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
}

std::optional<std::string> HostProcess::wait_for_stderr(const std::regex &pattern,
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

std::optional<int> HostProcess::wait(std::chrono::milliseconds timeout) {
  if (code_) return code_;
  auto end = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > end) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      code_ = 128 + SIGKILL;
      if (out_reader_.joinable()) out_reader_.join();
      if (err_reader_.joinable()) err_reader_.join();
      return timeout.count() == 0 ? code_ : std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
  return code_;
}

std::string HostProcess::out() const {
  std::lock_guard lock(mutex_);
  return out_;
}

std::string HostProcess::err() const {
  std::lock_guard lock(mutex_);
  return err_;
}

}  // namespace automuse::testing
