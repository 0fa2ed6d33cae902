// host/oauth/browser.cpp — xdg-open, started with posix_spawn (safe in a threaded process).
#include "oauth/browser.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

extern char **environ;

namespace automuse::oauth {
namespace {

bool on_path(const std::string &program) {
  const char *path = std::getenv("PATH");
  if (!path) return false;
  std::stringstream ss(path);
  for (std::string dir; std::getline(ss, dir, ':');) {
    if (dir.empty()) continue;
    std::filesystem::path p = std::filesystem::path(dir) / program;
    if (::access(p.c_str(), X_OK) == 0) return true;
  }
  return false;
}

bool set(const char *name) {
  const char *v = std::getenv(name);
  return v && *v;
}

}  // namespace

bool can_open_browser(am_oauth_browser mode, std::string *why_not) {
  auto no = [&](const char *why) {
    if (why_not) *why_not = why;
    return false;
  };
  if (mode == AM_OAUTH_BROWSER_NEVER) return no("disabled for this request");
  if (const char *v = std::getenv("AUTOMUSE_NO_BROWSER"); v && *v && std::string(v) != "0")
    return no("AUTOMUSE_NO_BROWSER is set");
  if (!::isatty(STDOUT_FILENO)) return no("stdout is not a terminal");
  if (!set("DISPLAY") && !set("WAYLAND_DISPLAY")) return no("no graphical display");
  if (!on_path("xdg-open")) return no("xdg-open is not installed");
  return true;
}

bool open_browser(const std::string &url) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string program = "xdg-open";
  char *argv[] = {program.data(), const_cast<char *>(url.c_str()), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "xdg-open", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return false;
  // Reap it whenever it ends (xdg-open may wait for the browser): no zombie, no blocking.
  std::thread([pid] {
    int status = 0;
    ::waitpid(pid, &status, 0);
  }).detach();
  return true;
}

}  // namespace automuse::oauth
