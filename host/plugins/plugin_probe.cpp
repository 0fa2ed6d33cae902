// host/plugins/plugin_probe.cpp — both sides of the child-process plugin probe.
#include "plugins/plugin_probe.hpp"

#include "plugins/plugin_module.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>

extern char **environ;

namespace automuse::plugins {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string signal_name(int sig) {
  const char *abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string last_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  auto nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

}  // namespace

ProbeResult probe_in_child(const fs::path &plugin, std::chrono::milliseconds timeout) {
  ProbeResult result;
  const std::string file = plugin.string();
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.error = file + ": cannot start probe: " + strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::string exe = fs::read_symlink("/proc/self/exe").string();
  std::string probe_arg = "__probe";
  std::vector<char *> argv{exe.data(), probe_arg.data(), const_cast<char *>(file.c_str()),
                           nullptr};
  pid_t pid = -1;
  int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    result.error = file + ": cannot start probe: " + strerror(rc);
    return result;
  }

  std::string out, err;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int n = poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? out : err).append(buf, static_cast<size_t>(got));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto &f : fds)
    if (f.fd >= 0) close(f.fd);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    result.error = file + ": did not answer in " +
                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
                   " s (stuck while loading or in init)";
    return result;
  }
  if (WIFSIGNALED(status)) {
    result.error = file + ": crashed with " + signal_name(WTERMSIG(status)) +
                   " while loading or in init";
    return result;
  }
  if (WEXITSTATUS(status) != 0) {
    std::string line = last_line(err);
    result.error = line.empty() ? file + ": probe failed with exit code " +
                                      std::to_string(WEXITSTATUS(status))
                                : line;
    return result;
  }
  json::error_code ec;
  json::value v = json::parse(out, ec);
  if (ec || !v.is_object()) {
    result.error = file + ": the probe printed no plugin description";
    return result;
  }
  result.info = std::move(v.as_object());
  return result;
}

int probe_main(const fs::path &plugin, core::ServiceRegistry &services, core::Runtime &runtime) {
  try {
    auto module = PluginModule::open(plugin);
    module->initialise(services, runtime);
    std::cout << json::serialize(module->info().to_json()) << std::endl;
    return 0;
  } catch (const std::exception &e) {
    std::cerr << e.what() << std::endl;
    return 3;
  }
}

}  // namespace automuse::plugins
