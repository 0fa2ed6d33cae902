// tests/instagram/instagram_fixture.hpp — what the Instagram plugin's end-to-end tests share:
// a sandboxed automuse-host configured against FakeInstagram (tests/support/instagram), an
// account `chef` whose long-lived token is put in the store as the fake issued it, a loopback
// web server publishing the account's publish folder (for video_url), and a real small Short
// made by ffmpeg within Instagram's Reel rules.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/store.hpp"
#include "support/digest.hpp"
#include "support/fake_secrets.hpp"
#include "support/files.hpp"
#include "support/host_process.hpp"
#include "support/instagram/fake_instagram.hpp"
#include "support/sandbox_store.hpp"
#include "support/temp_folder.hpp"

namespace instagram_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::FakeInstagram;
using automuse::testing::HostResult;
using automuse::testing::shell_quote;

inline constexpr const char *kUserId = "17841400000000001";
inline constexpr const char *kToken = "IGAAchefLongLivedTokenForTests0000000001";
inline const std::string kAppSecret(automuse::testing::fake_secrets::kInstagramAppSecret);

inline int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using automuse::testing::sha256_hex;

class InstagramHost : public ::testing::Test {
 protected:
  void SetUp() override {
    ig_.add_user({kUserId, "chefreels", FakeInstagram::Login::instagram, kToken});
    fs::create_directories(folder_);
    web_.route("GET", "/reels/*", [this](const automuse::testing::ReceivedRequest &r) {
      const fs::path file = folder_ / r.path.substr(7);
      if (!fs::is_regular_file(file)) return automuse::testing::Reply::error(404);
      return automuse::testing::Reply::text(automuse::testing::read_file(file), 200, "video/mp4");
    });
    write_config(json::object{});
    video_ = make_video("short.mp4", 3.5);
  }

  // automuse.json with plugins.instagram pointed at the fake; `more` adds or replaces keys.
  void write_config(const json::object &more) {
    json::object section{{"graph_url", ig_.graph_url()},
                         {"authorize_url", ig_.authorize_url()},
                         {"oauth_token_url", ig_.token_url()},
                         {"poll_interval_ms", 20},
                         {"retry_wait_ms", 20},
                         {"max_rate_limit_wait_secs", 5}};
    for (const auto &kv : more) section[kv.key()] = kv.value();
    json::object config{{"plugins", {{"instagram", section}}}, {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }

  HostResult host(const std::string &args) {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE),
                                       automuse::testing::plugin_dir(PLUGIN_DIR), root_, args);
  }

  // The account `chef`; `extra` more --set options.
  void add_account(const std::string &extra = "") {
    auto r = host(
        "accounts add --plugin instagram --nickname chef --set app_id=1234567890 --set "
        "app_secret=" +
        std::string(kAppSecret) + " " + extra);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  void add_account_with_folder(const std::string &extra = "") {
    add_account("--set publish_folder=" + shell_quote(folder_.string()) +
                " --set public_url_prefix=" + web_.base_url() + "/reels " + extra);
  }

  automuse::store::Store store() {
    return automuse::store::Store(automuse::testing::sandbox_store(root_));
  }
  // The token as `auth` stores it: long-lived, expiring `expires_in` from now.
  void put_token(const std::string &token = kToken,
                 int64_t expires_in = FakeInstagram::kLongLivedExpiresIn) {
    auto s = store();
    automuse::store::OAuthToken t;
    t.account_id = s.resolve_account("chef", "instagram").id;
    t.provider = "instagram";
    t.access_token = token;
    t.token_type = "bearer";
    t.scope = "instagram_business_basic,instagram_business_content_publish";
    t.expires_at = now_seconds() + expires_in;
    s.set_oauth_token(t);
  }
  std::string stored_token() {
    auto s = store();
    auto t = s.get_oauth_token(s.resolve_account("chef", "instagram").id);
    return t && t->access_token ? *t->access_token : "";
  }

  // A Short within the Reel rules (9:16, 30 fps, H.264 4:2:0 + AAC, moov first, no edit list).
  fs::path make_video(const std::string &name, double seconds) {
    const fs::path out = root_ / name;
    const std::string cmd =
        "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=180x320:rate=30 -f lavfi -i "
        "sine=frequency=440:sample_rate=44100 -t " +
        std::to_string(seconds) +
        " -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest -movflags "
        "+faststart -use_editlist 0 " +
        out.string();
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return out;
  }

  HostResult post(const std::string &caption, const fs::path &video, const std::string &more = "") {
    return host("--plugin instagram post --account chef --video " + shell_quote(video.string()) +
                " --caption " + shell_quote(caption) + " " + more);
  }

  json::array history() {
    auto r = host("history --plugin instagram --json");
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out).as_array();
  }
  json::array publications() {
    auto r = host("publications --json --target instagram");
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out).as_array();
  }

  // Nothing secret in what a user sees.
  static void expect_no_secrets(const HostResult &r) {
    for (const std::string &s :
         {std::string(kToken), std::string(kAppSecret), std::string("IGQ")}) {
      EXPECT_EQ(r.out.find(s), std::string::npos) << r.out;
      EXPECT_EQ(r.err.find(s), std::string::npos) << r.err;
    }
  }

  // The one Reel the fake holds: these bytes, this caption.
  void expect_one_reel(const fs::path &video, const std::string &caption) {
    const auto reels = ig_.reels();
    ASSERT_EQ(reels.size(), 1u);
    const std::string bytes = automuse::testing::read_file(video);
    EXPECT_EQ(reels[0].size, bytes.size());
    EXPECT_EQ(reels[0].sha256, sha256_hex(bytes));
    EXPECT_EQ(reels[0].caption, caption);
    EXPECT_EQ(reels[0].user_id, kUserId);
  }

  FakeInstagram ig_{FakeInstagram::App{"1234567890", kAppSecret, {}}};
  automuse::testing::FakeServer web_;
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
  fs::path folder_ = root_ / "public-reels";
  fs::path video_;
};

}  // namespace instagram_test
