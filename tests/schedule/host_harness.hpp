// tests/schedule/host_harness.hpp — runs automuse-host as a user would, in a sandbox under a
// temporary folder (support/host_process.hpp): synchronous commands, and background processes
// to signal or kill (the daemon, long runs, a second daemon); the config file, and the
// job_runs rows through `runs --json`.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/host_process.hpp"
#include "support/sandbox_store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::testing {

namespace fs = std::filesystem;

class HostHarness : public ::testing::Test {
 protected:
  void SetUp() override { write_config("{}"); }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    for (pid_t pid : others_) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }

  // The plugin folder the host is pointed at (one fixture case per folder).
  virtual std::string plugin_dir() const = 0;

  void write_config(const std::string &json_text) {
    std::ofstream(root_ / "automuse.json") << json_text;
  }
  // The sandbox's store, wherever the host keeps it (sandbox_store.hpp).
  automuse::store::Location store_location() const { return sandbox_store(root_); }

  // Runs `automuse-host ARGS` to the end: exit code and stdout (stderr in stderr.txt).
  std::pair<int, std::string> host(const std::string &args) {
    auto r = run_host(HOST_EXE, plugin_dir(), root_, args);
    return {r.code, r.out};
  }

  // Starts `automuse-host ARGS` in the background; stdout to out.txt, stderr to log.txt.
  void start(const std::string &args) {
    child_ = spawn_host(args, "out.txt", "log.txt");
    ASSERT_GE(child_, 0);
  }
  // Starts another one (its pid is the host's own: sh and env exec it), with stdout and
  // stderr in the files named; it is killed at the end of the test if still running.
  pid_t spawn(const std::string &args, const std::string &out, const std::string &log) {
    pid_t pid = spawn_host(args, out, log);
    if (pid > 0) others_.push_back(pid);
    return pid;
  }
  void signal(int sig) { ::kill(child_, sig); }
  // The background process's exit code once it exits within `timeout` (-1 if killed by a
  // signal), or nullopt if it is still running then.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      pid_t r = ::waitpid(child_, &status, WNOHANG);
      if (r == child_) {
        child_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  // Like wait_exit, for a process started by spawn.
  std::optional<int> wait_pid(pid_t pid, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        std::erase(others_, pid);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::string read(const fs::path &file) const { return read_file(file); }
  std::string log_text() const { return read(root_ / "log.txt"); }

  // Polls `ready` every 20 ms for up to `timeout`.
  static bool eventually(const std::function<bool()> &ready,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  // job_runs, newest first.
  boost::json::array runs() {
    auto [code, out] = host("runs --json");
    EXPECT_EQ(code, 0) << out;
    return boost::json::parse(out).as_array();
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
  pid_t child_ = -1;

 private:
  pid_t spawn_host(const std::string &args, const std::string &out, const std::string &log) {
    use_test_store(root_);
    std::string cmd = "exec env XDG_DATA_HOME=" + (root_ / "data").string() +
                      " XDG_CONFIG_HOME=" + (root_ / "config").string() + " " + HOST_EXE +
                      " --plugin-dir " + plugin_dir() + " --config " +
                      (root_ / "automuse.json").string() + " " + args + " >" +
                      (root_ / out).string() + " 2>" + (root_ / log).string() + " </dev/null";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
      ::_exit(127);
    }
    return pid;
  }
  std::vector<pid_t> others_;
};

}  // namespace automuse::testing
