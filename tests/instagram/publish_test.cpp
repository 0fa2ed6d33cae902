// tests/instagram/publish_test.cpp — the Instagram plugin end to end: automuse-host runs
// `--plugin instagram post` against FakeInstagram on loopback. A real small Short goes out by the
// resumable upload (bytes checked at the fake) and by video_url (the fake downloads the copy from
// a loopback web server publishing the account's folder), and, with the default reading that
// Instagram Login tokens may not use rupload, `auto` falls back to the URL. On a terminal the
// upload draws its progress bar.
#include <algorithm>

#include "instagram_fixture.hpp"
#include "support/terminal_run.hpp"

namespace instagram_test {
namespace {

TEST_F(InstagramHost, PublishesAShortByResumableUpload) {
  ig_.resumable_with_instagram_login(true);
  add_account();
  put_token();
  auto r = post("Three hearts, blue blood #octopus", video_);
  ASSERT_EQ(r.code, 0) << r.err << "\n" << ::testing::PrintToString(ig_.refusals());
  expect_one_reel(video_, "Three hearts, blue blood #octopus");
  const auto reel = ig_.reels()[0];
  const auto containers = ig_.containers();
  ASSERT_EQ(containers.size(), 1u);
  EXPECT_EQ(containers[0].source, "resumable");
  // rupload got the token as "OAuth", with offset and file_size.
  const auto uploads = ig_.rupload_server().requests();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].header("authorization").value_or("").rfind("OAuth ", 0), 0u);
  EXPECT_EQ(uploads[0].header("offset"), "0");
  EXPECT_EQ(uploads[0].header("file_size"), std::to_string(reel.size));
  // The result, the history and the ledger agree.
  const json::object result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("id"), reel.media_id.c_str());
  EXPECT_EQ(result.at("url"), ("https://www.instagram.com/reel/" + reel.media_id + "/").c_str());
  EXPECT_EQ(result.at("recovered"), false);
  const json::array h = history();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].at("status"), "published");
  EXPECT_EQ(h[0].at("remote_id"), reel.media_id.c_str());
  const json::array p = publications();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].at("state"), "published");
  expect_no_secrets(r);
}

// On a terminal, the resumable upload of the file (body_file) is the HTTP service's "upload"
// progress: a line with its bar, rising to 100 % (the plugin logs no steps of its own).
TEST_F(InstagramHost, OnATerminalTheResumableUploadDrawsItsBar) {
  ig_.resumable_with_instagram_login(true);
  add_account();
  put_token();
  auto env = automuse::testing::sandbox_env(root_);
  env.push_back("TERM=xterm");
  const auto r = automuse::testing::run_on_terminal(
      automuse::testing::host_argv(automuse::testing::host_exe(HOST_EXE),
                                   automuse::testing::plugin_dir(PLUGIN_DIR), root_,
                                   {"--plugin", "instagram", "post", "--account", "chef", "--video",
                                    video_.string(), "--caption", "On a terminal"}),
      env);
  ASSERT_EQ(r.code, 0) << r.out << "\n" << ::testing::PrintToString(ig_.refusals());
  expect_one_reel(video_, "On a terminal");
  const std::vector<double> percents = automuse::testing::bar_percents_of(r.out, "upload");
  ASSERT_FALSE(percents.empty()) << r.out;
  EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end())) << r.out;
  EXPECT_EQ(percents.back(), 100.0) << r.out;
}

TEST_F(InstagramHost, PublishesByVideoUrlFromThePublishFolder) {
  add_account_with_folder("--set upload=video_url");
  put_token();
  auto r = post("By URL", video_);
  ASSERT_EQ(r.code, 0) << r.err << "\n" << ::testing::PrintToString(ig_.refusals());
  expect_one_reel(video_, "By URL");
  EXPECT_TRUE(ig_.rupload_server().requests().empty());
  const auto fetched = ig_.fetched_urls();
  ASSERT_EQ(fetched.size(), 1u);
  EXPECT_EQ(fetched[0].rfind(web_.base_url() + "/reels/automuse-reel-", 0), 0u) << fetched[0];
  // The copy is gone once Instagram has published it.
  EXPECT_TRUE(fs::is_empty(folder_));
  expect_no_secrets(r);
}

TEST_F(InstagramHost, AutoFallsBackToTheUrlWhenTheLoginMayNotUpload) {
  add_account_with_folder();  // upload=auto; the fake refuses rupload for Instagram Login
  put_token();
  auto r = post("Fallback", video_);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_one_reel(video_, "Fallback");
  EXPECT_EQ(ig_.rupload_server().requests().size(), 1u);
  EXPECT_EQ(ig_.fetched_urls().size(), 1u);
  EXPECT_NE(r.err.find("giving it the video by URL"), std::string::npos) << r.err;
}

TEST_F(InstagramHost, WithoutAFolderARefusedUploadSaysWhatToSet) {
  add_account();
  put_token();
  auto r = post("Nowhere to go", video_);
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(ig_.reels().empty());
  EXPECT_NE(r.err.find("Instagram account 'chef'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("publish_folder and public_url_prefix"), std::string::npos) << r.err;
}

TEST_F(InstagramHost, TheSameShortIsNotPublishedTwice) {
  ig_.resumable_with_instagram_login(true);
  add_account();
  put_token();
  ASSERT_EQ(post("Once", video_).code, 0);
  auto again = post("Once", video_);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(ig_.reels().size(), 1u);
  EXPECT_EQ(ig_.containers().size(), 1u);
}

}  // namespace
}  // namespace instagram_test
