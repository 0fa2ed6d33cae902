// tests/log/suite_log_scan_test.cpp — the whole suite's logs hold none of the fakes' secrets.
// Run after the other tests with AUTOMUSE_TEST_LOG_DIR set for all of them (TempFolder then
// keeps every log a test leaves: the host's automuse.log, captured stderr), e.g. in the build
// folder, with D=$PWD/test-logs: `AUTOMUSE_TEST_LOG_DIR=$D ctest -LE log_scan`, then
// `AUTOMUSE_TEST_LOG_DIR=$D ctest -L log_scan`.
// It also checks that logs of every suite that starts the host or writes a log file were read
// (AUTOMUSE_LOGGING_SUITES, from tests/log/CMakeLists.txt), so an empty folder cannot pass.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "log/log_scan.hpp"

namespace automuse::testing {
namespace {

std::set<std::string> expected_suites() {
  std::set<std::string> out;
  std::istringstream in(AUTOMUSE_LOGGING_SUITES);
  for (std::string name; std::getline(in, name, ',');)
    if (!name.empty()) out.insert(name);
  return out;
}

TEST(SuiteLogScan, NoFakeSecretInAnySuitesLogs) {
  const char *dir = std::getenv("AUTOMUSE_TEST_LOG_DIR");
  if (!dir || !*dir)
    GTEST_SKIP() << "AUTOMUSE_TEST_LOG_DIR is not set: the suite kept no logs to scan";
  LogScan scan = scan_logs(dir);
  for (const LogLeak &leak : scan.leaks)
    ADD_FAILURE() << leak.file.string() << ":" << leak.line << ": holds the " << leak.what;
  for (const std::string &suite : expected_suites())
    EXPECT_TRUE(scan.suites.count(suite)) << "no log of " << suite << " under " << dir;
  std::printf("scanned %zu log files of %zu suites\n", scan.files, scan.suites.size());
}

}  // namespace
}  // namespace automuse::testing
