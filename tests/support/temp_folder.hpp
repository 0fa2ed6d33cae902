// tests/support/temp_folder.hpp — the tests' one temporary folder: a fresh, unique folder under
// the system temp dir (named after the running test), removed with everything in it when the
// fixture goes. It is kept for a look, and its path printed, when the test has failed or
// AUTOMUSE_KEEP_TEST_FILES is set (to anything but "" or "0"). With AUTOMUSE_TEST_LOG_DIR set,
// the logs a test leaves in it (*.log, *.txt: the host's automuse.log, captured output) are
// copied first to DIR/<test program>/<folder name>/, for the suite-wide secret scan
// (tests/log/suite_log_scan_test.cpp).
//
//   TempFolder tmp;
//   write_file(tmp / "config.json", "{}");
#pragma once

#include <errno.h>  // program_invocation_short_name
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/files.hpp"

namespace automuse::testing {

class TempFolder {
 public:
  // `skip`: the folder holds secrets on purpose (the scanner's own tests), so its logs are not
  // handed to the suite-wide scan.
  enum class Logs { keep, skip };

  explicit TempFolder(Logs logs = Logs::keep) : logs_(logs) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix() + "XXXXXX")).string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempFolder() {
    keep_logs();
    const char *keep = std::getenv("AUTOMUSE_KEEP_TEST_FILES");
    if (::testing::Test::HasFailure() || (keep && *keep && std::string_view(keep) != "0")) {
      std::fprintf(stderr, "kept test files in %s\n", path_.c_str());
      return;
    }
    std::error_code ignored;  // a destructor cannot fail a test; leftovers are harmless
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder &) = delete;
  TempFolder &operator=(const TempFolder &) = delete;

  const std::filesystem::path &path() const { return path_; }
  std::string string() const { return path_.string(); }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }
  operator const std::filesystem::path &() const { return path_; }

 private:
  // "automuse-Suite.Test-": only characters safe in a file name.
  static std::string prefix() {
    std::string name = "automuse-";
    if (auto *info = ::testing::UnitTest::GetInstance()->current_test_info())
      name += std::string(info->test_suite_name()) + "." + info->name() + "-";
    for (char &c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
    return name.substr(0, 120);
  }

  void keep_logs() const {
    namespace fs = std::filesystem;
    const char *dir = std::getenv("AUTOMUSE_TEST_LOG_DIR");
    if (!dir || !*dir || logs_ == Logs::skip) return;
    const fs::path to = fs::path(dir) / program_invocation_short_name / path_.filename();
    std::error_code ec;  // best effort: the scan says which suites it found no logs of
    for (auto it = fs::recursive_directory_iterator(path_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path ext = it->path().extension();
      if (!it->is_regular_file(ec) || (ext != ".log" && ext != ".txt")) continue;
      const fs::path target = to / fs::relative(it->path(), path_, ec);
      fs::create_directories(target.parent_path(), ec);
      fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing, ec);
    }
  }

  Logs logs_;
  std::filesystem::path path_;
};

}  // namespace automuse::testing
