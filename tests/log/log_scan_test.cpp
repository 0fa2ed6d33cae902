// tests/log/log_scan_test.cpp — the log scan itself, over folders planted here: it finds each
// fake's key and each made-up token by name, in any file of any suite, and lets redacted
// values and prose through.
#include "log/log_scan.hpp"

#include <gtest/gtest.h>

#include "support/files.hpp"
#include "support/temp_folder.hpp"

namespace automuse::testing {
namespace {

namespace fs = std::filesystem;

void plant(const fs::path &file, const std::string &text) {
  fs::create_directories(file.parent_path());
  write_file(file, text);
}

TEST(LogScan, CleanLogsOfEverySuite) {
  TempFolder dir(TempFolder::Logs::skip);  // planted logs, not the suite's
  plant(dir / "host_cli_test/a/data/automuse/logs/automuse.log",
        "2026-01-01 [http] debug -> POST https://oauth2.example/token\n"
        "  Authorization: ***\n  body: refresh_token=***&client_secret=***\n"
        "[youtube] info access token ya29.*** refreshed; at-least-once delivery holds\n");
  plant(dir / "logging_test/b/logs/automuse.1.log", "[tiktok] info uploading\n");
  LogScan scan = scan_logs(dir);
  EXPECT_TRUE(scan.leaks.empty()) << scan.leaks.front().file << ":" << scan.leaks.front().line;
  EXPECT_EQ(scan.files, 2u);
  EXPECT_EQ(scan.suites, (std::set<std::string>{"host_cli_test", "logging_test"}));
}

TEST(LogScan, FindsEveryKeyByName) {
  for (const auto &key : fake_secrets::kKeys) {
    TempFolder dir(TempFolder::Logs::skip);
    plant(dir / "suite/x/log.txt",
          "line one\nsent key " + std::string(key.value) + " to the API\n");
    LogScan scan = scan_logs(dir);
    ASSERT_EQ(scan.leaks.size(), 1u) << key.name;
    EXPECT_EQ(scan.leaks[0].what, key.name);
    EXPECT_EQ(scan.leaks[0].line, 2u);
  }
}

TEST(LogScan, FindsEveryMadeUpToken) {
  for (const auto &token : fake_secrets::kTokenPrefixes) {
    TempFolder dir(TempFolder::Logs::skip);
    plant(dir / "suite/x/automuse.log",
          "{\"token\":\"" + std::string(token.value) + "Qm9vX2Zvb19iYXJfYmF6XzEy\"}\n");
    LogScan scan = scan_logs(dir);
    ASSERT_EQ(scan.leaks.size(), 1u) << token.name;
    EXPECT_EQ(scan.leaks[0].what, token.name);
  }
}

}  // namespace
}  // namespace automuse::testing
