// tests/youtube/four_platforms_test.cpp — one Short, four platforms, one run: `youtube run
// --publish youtube --also-publish twitter:cook,tiktok:chef,instagram:chef` through the real
// automuse-host, with real espeak-ng speech and a real render, against the fakes of Google's
// token endpoint and resumable upload, X, TikTok and Instagram on loopback. TikTok and Instagram
// are authorised as a user does it (`auth`, the browser played against their fakes). Each fake
// must hold exactly one publication, and the bytes it took must be the rendered file's; X
// gets the Short's YouTube link; the ledger holds one published row per platform. A second run
// of the same command publishes nothing again.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <string>

#include "support/digest.hpp"
#include "support/fake_secrets.hpp"
#include "support/host_process.hpp"
#include "support/instagram/fake_instagram.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/oauth/fake_browser.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/temp_folder.hpp"
#include "support/tiktok/fake_tiktok.hpp"
#include "support/x/fake_x.hpp"
#include "support/youtube/fake_youtube_upload.hpp"
#include "support/youtube/google_client.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using automuse::testing::FakeInstagram;
using automuse::testing::FakeOAuth;
using automuse::testing::FakeTikTok;
using automuse::testing::FakeYouTubeUpload;
using automuse::testing::HostResult;
using automuse::testing::read_file;
using automuse::testing::sha256_hex;
using automuse::testing::shell_quote;
using automuse::testing::google_client::kClientId;
using automuse::testing::google_client::kClientSecret;
using automuse::testing::google_client::kRefreshToken;

namespace {

constexpr const char *kIgUser = "17841400000000007";
constexpr const char *kPost = "Three hearts, blue blood: meet the octopus.";

class FourPlatforms : public ::testing::Test {
 protected:
  void SetUp() override {
    oauth_.add_refresh_token(kRefreshToken);
    x_.add_user({"1001", "cook", "ck-1", "cs-1", "at-1", "as-1", "", ""});
    tiktok_->rate_limits(false);
    tiktok_->add_account({});
    ig_.add_user({kIgUser, "chefreels", FakeInstagram::Login::instagram, ""});
    ig_.set_consenting_user(kIgUser);
    ig_.resumable_with_instagram_login(true);
    llm_.set_answer([](const json::array &messages) -> std::string {
      // Only the cross-posts are answered; the other steps fall back to the script and title.
      return json::serialize(messages).find("social media post") != std::string::npos ? kPost
                                                                                      : "no idea";
    });
    write_config();
    std::ofstream(root_ / "script.txt") << "An octopus has three hearts. Its blood is blue.";
    add_accounts();
  }

  void write_config() {
    json::object plugins{{"youtube",
                          {{"client_id", kClientId},
                           {"client_secret", kClientSecret},
                           {"token_url", oauth_.token_url()},
                           {"upload_url", yt_.upload_url()},
                           {"chunk_kib", 256}}},
                         {"twitter", {{"api_base", x_.base_url()}}},
                         {"tiktok",
                          {{"api_base", tiktok_->api_base()},
                           {"authorize_url", tiktok_->authorize_url()},
                           {"token_url", tiktok_->token_url()},
                           {"poll_interval_ms", 20}}},
                         {"instagram",
                          {{"graph_url", ig_.graph_url()},
                           {"authorize_url", ig_.authorize_url()},
                           {"oauth_token_url", ig_.token_url()},
                           {"poll_interval_ms", 20}}}};
    json::object config{
        {"plugins", plugins}, {"llm", llm_.host_config()}, {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }

  HostResult host(const std::string &args) {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                       args);
  }

  void add_accounts() {
    for (const std::string &add :
         {"accounts add --plugin youtube --nickname ocean --set niche='ocean animals' "
          "--set refresh_token=" +
              std::string(kRefreshToken),
          std::string("accounts add --plugin twitter --nickname cook --set topic=oceans "
                      "--set consumer_key=ck-1 --set consumer_secret=cs-1 "
                      "--set access_token=at-1 --set access_token_secret=as-1"),
          "accounts add --plugin tiktok --nickname chef --set client_key=" + tiktok_->client().key +
              " --set client_secret=" + tiktok_->client().secret,
          "accounts add --plugin instagram --nickname chef --set app_id=1234567890 "
          "--set app_secret=" +
              std::string(automuse::testing::fake_secrets::kInstagramAppSecret)}) {
      auto r = host(add);
      ASSERT_EQ(r.code, 0) << r.err;
    }
  }

  // `auth PLUGIN --account chef`, the browser played at the URL the host prints.
  void authorise(const std::string &plugin, const std::string &authorize_url) {
    automuse::testing::HostProcess p(
        automuse::testing::host_argv(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                     {"auth", plugin, "--account", "chef", "--no-browser"}),
        automuse::testing::sandbox_env(root_));
    std::regex re(std::regex_replace(authorize_url, std::regex("[.?]"), "\\$&") + "\\?[^\\s]+");
    auto url = p.wait_for_stderr(re, 30s);
    ASSERT_TRUE(url) << plugin << ": no authorize URL printed; stderr:\n" << p.err();
    auto visit = automuse::testing::browser_visit(*url);
    EXPECT_EQ(visit.page.status, 200u) << visit.page.body;
    ASSERT_EQ(p.wait(60s), 0) << p.err();
  }

  HostResult publish_everywhere() {
    return host("--plugin youtube run --account ocean --script " +
                shell_quote((root_ / "script.txt").string()) +
                " --title 'Octopus facts' --publish youtube --width 360 --height 640 --outbox " +
                shell_quote((root_ / "outbox").string()) +
                " --also-publish twitter:cook,tiktok:chef,instagram:chef");
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
  automuse::testing::FakeOpenAI llm_;
  FakeOAuth oauth_{FakeOAuth::google_client(kClientId, kClientSecret)};
  FakeYouTubeUpload yt_{oauth_};
  automuse::testing::FakeX x_;
  std::unique_ptr<FakeTikTok> tiktok_ =
      std::make_unique<FakeTikTok>(FakeTikTok::Client{}, FakeTikTok::Options{});
  FakeInstagram ig_{FakeInstagram::App{
      "1234567890", std::string(automuse::testing::fake_secrets::kInstagramAppSecret), {}}};
};

TEST_F(FourPlatforms, OneShortIsPublishedOnceOnEachPlatformWithItsBytes) {
  authorise("tiktok", tiktok_->authorize_url());
  authorise("instagram", ig_.authorize_url());

  auto r = publish_everywhere();
  ASSERT_EQ(r.code, 0) << r.err << ::testing::PrintToString(ig_.refusals());
  const json::object result = json::parse(r.out).as_object();
  const std::string video(result.at("video").as_string());
  const std::string bytes = read_file(video);
  ASSERT_GT(bytes.size(), 10000u);

  // YouTube: one video, the rendered file's bytes.
  auto videos = yt_.videos();
  ASSERT_EQ(videos.size(), 1u);
  EXPECT_TRUE(videos[0].bytes == bytes) << "YouTube took " << videos[0].bytes.size() << " bytes";
  // X: one post, the words and the Short's YouTube link (the video itself stays on YouTube).
  auto posts = x_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text.rfind(kPost, 0), 0u) << posts[0].text;
  EXPECT_NE(posts[0].text.find(videos[0].id), std::string::npos) << posts[0].text;
  // TikTok: one post, the file's bytes, the words as its title.
  auto tiktok = tiktok_->posts();
  ASSERT_EQ(tiktok.size(), 1u);
  EXPECT_TRUE(tiktok[0].bytes == bytes) << "TikTok took " << tiktok[0].bytes.size() << " bytes";
  EXPECT_EQ(tiktok[0].post_info.at("title"), kPost);
  // Instagram: one Reel, the file's bytes, the words as its caption.
  auto reels = ig_.reels();
  ASSERT_EQ(reels.size(), 1u);
  EXPECT_EQ(reels[0].sha256, sha256_hex(bytes));
  EXPECT_EQ(reels[0].caption, kPost);

  // The result lists the three shares; the ledger one published row per platform.
  const json::array &shared = result.at("shared").as_array();
  ASSERT_EQ(shared.size(), 3u);
  EXPECT_EQ(shared[0].at("plugin"), "twitter");
  EXPECT_EQ(shared[1].at("plugin"), "tiktok");
  EXPECT_EQ(shared[2].at("plugin"), "instagram");
  auto ledger = host("publications --json");
  ASSERT_EQ(ledger.code, 0) << ledger.err;
  std::map<std::string, int> published;
  std::map<std::string, std::string> remote_ids;
  const json::value rows = json::parse(ledger.out);
  for (const auto &row : rows.as_array()) {
    if (row.at("state") != "published") continue;
    const std::string target(row.at("target").as_string());
    ++published[target];
    remote_ids[target] = row.at("remote_id").as_string();
  }
  EXPECT_EQ(published, (std::map<std::string, int>{
                           {"instagram", 1}, {"tiktok", 1}, {"twitter", 1}, {"youtube", 1}}))
      << ledger.out;
  EXPECT_EQ(remote_ids["youtube"], videos[0].id);
  EXPECT_EQ(remote_ids["twitter"], posts[0].id);
  EXPECT_EQ(remote_ids["instagram"], reels[0].media_id);

  // The same run again: every platform already has this Short, nothing is published twice.
  auto again = publish_everywhere();
  EXPECT_EQ(yt_.videos().size(), 1u) << again.err;
  EXPECT_EQ(x_.posts().size(), 1u) << again.err;
  EXPECT_EQ(tiktok_->posts().size(), 1u) << again.err;
  EXPECT_EQ(ig_.reels().size(), 1u) << again.err;
}

}  // namespace
