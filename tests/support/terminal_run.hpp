// tests/support/terminal_run.hpp — runs a program on a new pseudo-terminal (forkpty), as a user
// at a terminal does, and reads all it showed: for tests of what the command line draws there
// (the live progress). Link with `util`.
#pragma once

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <vector>

namespace automuse::testing {

struct TerminalRun {
  int code = -1;    // the exit code (128 + signal when killed)
  std::string out;  // all the terminal showed, stdout and stderr
};

// This process's environment with `vars` ("NAME=value") set.
inline std::vector<std::string> environment_with(const std::vector<std::string> &vars) {
  std::vector<std::string> out;
  for (char **e = environ; *e; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (std::none_of(vars.begin(), vars.end(),
                     [&](const std::string &v) { return v.substr(0, v.find('=')) == name; }))
      out.push_back(entry);
  }
  out.insert(out.end(), vars.begin(), vars.end());
  return out;
}

// Runs `argv` with this environment plus `vars` on a terminal of `columns` x 40, to its end
// (killed after `limit`).
inline TerminalRun run_on_terminal(const std::vector<std::string> &argv,
                                   const std::vector<std::string> &vars, int columns = 120,
                                   std::chrono::seconds limit = std::chrono::seconds(120)) {
  const auto env = environment_with(vars);
  std::vector<char *> a, e;
  for (const auto &s : argv) a.push_back(const_cast<char *>(s.c_str()));
  a.push_back(nullptr);
  for (const auto &s : env) e.push_back(const_cast<char *>(s.c_str()));
  e.push_back(nullptr);
  winsize size{};
  size.ws_col = static_cast<unsigned short>(columns);
  size.ws_row = 40;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  if (pid == 0) {
    ::execve(a[0], a.data(), e.data());
    ::_exit(127);
  }
  TerminalRun r;
  if (pid < 0) return r;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  for (;;) {
    pollfd p{master, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline) ::kill(pid, SIGKILL);
    if (::poll(&p, 1, 200) <= 0) continue;
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO: the child and every holder of the terminal are gone
    r.out.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// Every "NN.N%" the bar of step `step` drew on the terminal, in order ("" : any step's).
inline std::vector<double> bar_percents_of(const std::string &text, const std::string &step) {
  const std::regex bar((step.empty() ? std::string() : "  " + step + " +") +
                       "\\[[#.]{32}\\] +([0-9]+\\.[0-9])%");
  std::vector<double> out;
  for (std::sregex_iterator it(text.begin(), text.end(), bar), end; it != end; ++it)
    out.push_back(std::stod((*it)[1]));
  return out;
}

}  // namespace automuse::testing
