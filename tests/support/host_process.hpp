// tests/support/host_process.hpp — running automuse-host as a user would, from end-to-end
// tests: one command line in a sandbox (its own XDG folders, config file and plugin folder),
// with its exit code, stdout and stderr. Header-only; POSIX popen.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

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

inline std::string read_file(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The host under test: `built` (this build's), or AUTOMUSE_HOST_EXE when set.
inline std::string host_exe(const std::string &built) {
  const char *exe = std::getenv("AUTOMUSE_HOST_EXE");
  return exe && *exe ? exe : built;
}

// Runs `exe --plugin-dir PLUGIN_DIR --config ROOT/automuse.json ARGS` with XDG_DATA_HOME and
// XDG_CONFIG_HOME under `root` and no stdin; `args` is shell text (quote with shell_quote).
inline HostResult run_host(const std::string &exe, const std::string &plugin_dir,
                           const std::filesystem::path &root, const std::string &args) {
  const std::string err_file = (root / "stderr.txt").string();
  const std::string cmd = "env XDG_DATA_HOME=" + (root / "data").string() +
                          " XDG_CONFIG_HOME=" + (root / "config").string() + " " + exe +
                          " --plugin-dir " + plugin_dir + " --config " +
                          (root / "automuse.json").string() + " " + args + " 2>" + err_file +
                          " </dev/null";
  HostResult r;
  FILE *p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = read_file(err_file);
  return r;
}

}  // namespace automuse::testing
