// tests/tiktok/tiktok_host_fixture.hpp — the TikTok plugin through the real automuse-host against
// FakeTikTok, as a user runs it: a sandbox with plugins.tiktok pointing at the fake, an account
// with the fake app's client key and secret, `auth tiktok` played through the fake browser, and
// `tiktok post` runs. The Short most tests post is rendered once per test program by the youtube
// plugin (`generate`, offline, 360x640: TikTok's smallest side is 360 pixels).
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/fake_secrets.hpp"
#include "support/host_process.hpp"
#include "support/temp_folder.hpp"
#include "support/tiktok/fake_tiktok.hpp"

namespace tiktok_test {

namespace fs = std::filesystem;
using automuse::testing::FakeTikTok;
using automuse::testing::HostProcess;
using automuse::testing::HostResult;

class TikTokHost : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // A fresh fake (its options and first account), the config and the account "chef".
  void start_fake(FakeTikTok::Options options = {}, FakeTikTok::Account account = {});
  void write_config(const boost::json::object &extra = {});
  std::vector<std::string> env() const;
  HostResult run(const std::vector<std::string> &args, int timeout_secs = 120);
  HostProcess spawn(const std::vector<std::string> &args);
  // `auth tiktok --account chef` with the browser played: asserts success.
  void authorise();
  // `tiktok post --account chef --video V --caption C [more]`.
  HostResult post(const std::string &video, const std::string &caption,
                  const std::vector<std::string> &more = {});
  std::string log_text() const;
  // The Short rendered for the suite, copied into this test's folder (its own path: the
  // plugin's records are per file).
  std::string short_copy(const std::string &name = "short.mp4") const;
  // An MP4 written box by box (mp4_boxes.hpp), `bytes` long.
  std::string padded_mp4(const std::string &name, uint64_t bytes) const;

  static inline std::unique_ptr<automuse::testing::TempFolder> suite_temp_;
  static inline fs::path short_path_;

  std::unique_ptr<FakeTikTok> fake_;
  std::string open_id_;
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

// CRC-32 of a whole file (as the fake checksums what it took).
uint32_t file_crc(const std::string &path);

}  // namespace tiktok_test
