// tests/plugin_loading/host_lifetime_test.cpp — the lifetime promise in the real automuse-host: the
// fixture-lifetime plugin reports done from inside start_action, a posted function, a timer,
// the worker pool and an http completion, and runs on for 2 ms after done returns, while the
// host finishes the run and unloads it. Run many times, no run may crash (a host that unloads
// too early segfaults in the plugin after done). The same plugin runs thousands of times under
// AddressSanitizer in lifetime_stress_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/fake_server.hpp"
#include "support/host_process.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using automuse::testing::HostResult;
using automuse::testing::shell_quote;

namespace {

constexpr int kRunsPerAction = 10;  // the thousands run in lifetime_stress_test

class HostLifetime : public ::testing::TestWithParam<const char *> {
 protected:
  void SetUp() override {
    std::ofstream(root_ / "automuse.json") << R"({"log": {"file": false, "level": "warn"}})";
    server_.route("GET", "/ok", automuse::testing::Reply::text("ok"));
  }
  HostResult run(const std::string &action) {
    return automuse::testing::run_host(
        automuse::testing::host_exe(HOST_EXE), (fs::path(FIXTURE_ROOT) / "lifetime").string(),
        root_, "--plugin fixture-lifetime " + action + " --url " + shell_quote(server_.url("/ok")));
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
  automuse::testing::FakeServer server_;
};

}  // namespace

TEST_P(HostLifetime, NeverCrashesAfterDone) {
  const std::string action = GetParam();
  for (int i = 0; i < kRunsPerAction; ++i) {
    HostResult r = run(action);
    ASSERT_EQ(r.code, 0) << action << " run " << i << " (exit 139 is a segfault)\n" << r.err;
    ASSERT_EQ(r.out, "\"" + action + "\"\n") << action << " run " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryCallback, HostLifetime,
                         ::testing::Values("inline", "posted", "timer", "pool", "http"));
