// tests/youtube/publish_e2e_test.cpp — `automuse-host --plugin youtube run --publish youtube`
// end to end: the real host and plugin, the LLM through the fake OpenAI server (topic, script,
// a script too long sent back with its measured duration, metadata, image prompts), real
// espeak-ng and FFmpeg, pictures from the fake OpenAI images API, and the upload through the fake
// Google token endpoint and the fake resumable upload server, which keeps the bytes so they can be
// compared with the rendered file. Also: a job killed while rendering resumes without new LLM or
// image requests, and quota and invalid_grant errors through the host. And exactly once: a run
// killed after its upload, or in the middle of it, is resumed without a second video (the same
// upload session goes on from the server's byte), cross-posted once to the fake X; an identical
// finished run reports its result; --again makes a new one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <thread>

#include "fake_image_apis.hpp"  // tests/support/images
#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/temp_folder.hpp"
#include "support/x/fake_x.hpp"
#include "support/youtube/fake_youtube_upload.hpp"
#include "support/youtube/google_client.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::FakeImageApis;
using automuse::testing::FakeOAuth;
using automuse::testing::FakeOpenAI;
using automuse::testing::FakeYouTubeUpload;
using automuse::testing::read_file;
using automuse::testing::google_client::kClientId;
using automuse::testing::google_client::kClientSecret;
using automuse::testing::google_client::kRefreshToken;

namespace {

// About 20 s of espeak-ng speech: over the 10 s maximum these tests set.
const char *kLongScript =
    "Octopuses have three hearts and blue blood.\n"
    "Two hearts pump blood through the gills, and one pumps it through the body.\n"
    "When an octopus swims, the heart for the body stops beating.\n"
    "That is why octopuses prefer crawling to swimming.\n"
    "Their blood is blue because it carries copper instead of iron.\n"
    "Copper works better in cold water with little oxygen.\n"
    "Each arm has its own cluster of neurons and can taste what it touches.\n"
    "Follow for more strange ocean facts.";
const char *kShortScript =
    "Octopuses have three hearts.\nTheir blood is blue.\nFollow for more ocean facts.";

std::string system_prompt(const json::array &messages) {
  for (const auto &m : messages)
    if (m.at("role") == "system") return std::string(m.at("content").as_string());
  return {};
}
std::string user_prompt(const json::array &messages) {
  for (const auto &m : messages)
    if (m.at("role") == "user") return std::string(m.at("content").as_string());
  return {};
}

struct Result {
  int code = -1;
  bool killed = false;
  std::string out, err;
};

class YoutubePublish : public ::testing::Test {
 protected:
  void SetUp() override {
    oauth_.add_refresh_token(kRefreshToken);
    llm_.set_answer([this](const json::array &messages) { return answer(messages); });
    // Stuck on one topic, as a deterministic model is: a later run's topic is refused as a
    // repeat of the first and asked again.
    llm_.set_stuck("You plan YouTube Shorts", {"Why an octopus has three hearts"},
                   {"How the mantis shrimp punches faster than a bullet"});
    json::object config{{"plugins",
                         {{"youtube",
                           {{"client_id", kClientId},
                            {"client_secret", kClientSecret},
                            {"token_url", oauth_.token_url()},
                            {"upload_url", yt_.upload_url()},
                            {"chunk_kib", 256},
                            {"upload_retry_base_ms", 5},
                            {"max_duration", 10}}},
                          {"twitter", {{"api_base", x_.base_url()}}}}},
                        {"llm", llm_.host_config()},
                        // A killed run's lease lapses in a second: its re-run resumes it then.
                        {"queue", {{"lease_seconds", 1}}},
                        {"images",
                         {{"provider", "openai"},
                          {"providers",
                           {{"openai",
                             {{"base_url", images_server_.base_url() + "/v1"},
                              {"api_key", FakeImageApis::kOpenAiKey}}}}}}},
                        {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }
  // What the fake model answers, by step (the plugin's system prompts tell them apart).
  std::string answer(const json::array &messages) {
    const std::string system = system_prompt(messages), user = user_prompt(messages);
    if (system.find("You plan YouTube Shorts") != std::string::npos)
      return "Why an octopus has three hearts";
    if (system.find("You write voice-over scripts") != std::string::npos)
      return long_script_ ? std::string("**Narrator:** ") + kLongScript : kShortScript;
    if (system.find("You edit voice-over scripts") != std::string::npos) return kShortScript;
    if (system.find("You write YouTube metadata") != std::string::npos)
      return R"({"title": "Three hearts, blue blood", "description": "Why the octopus needs three hearts. #shorts #ocean", "tags": ["octopus", "ocean facts", "marine biology"]})";
    if (json::serialize(messages).find("social media post") != std::string::npos) {
      cross_post_asked_ = true;
      while (hold_cross_post_ && !release_cross_post_)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return "Three hearts keep an octopus going";
    }
    if (system.find("You write prompts for an image generator") != std::string::npos) {
      std::smatch m;
      std::regex_search(user, m, std::regex(R"(Scenes \((\d+)\))"));
      const int n = m.empty() ? 1 : std::stoi(m[1]);
      json::array prompts;
      for (int i = 1; i <= n; ++i)
        prompts.emplace_back("An octopus in a coral reef, scene " + std::to_string(i));
      return json::serialize(json::object{{"prompts", prompts}});
    }
    return "unexpected request";
  }

  // Runs the host as a user does; with `kill_when` set, SIGKILLs it as soon as its log shows
  // that text.
  Result host(const std::string &args, const std::string &kill_when = "") {
    const std::string exe = automuse::testing::host_exe(HOST_EXE);
    if (kill_when.empty()) {
      auto h = automuse::testing::run_host(exe, PLUGIN_DIR, root_, args);
      return Result{h.code, false, h.out, h.err};
    }
    return host_killed(
        args, [&] { return read_file(root_ / "stderr.txt").find(kill_when) != std::string::npos; });
  }

  // Runs the host and SIGKILLs it as soon as `kill_now` says so (polled every 5 ms).
  Result host_killed(const std::string &args, const std::function<bool()> &kill_now) {
    const std::string exe = automuse::testing::host_exe(HOST_EXE);
    // The same command as run_host's, exec'd so that the pid is the host's own.
    const std::string cmd =
        "exec env XDG_DATA_HOME=" + (root_ / "data").string() +
        " XDG_CONFIG_HOME=" + (root_ / "config").string() + " " + exe + " --plugin-dir " +
        PLUGIN_DIR + " --config " + (root_ / "automuse.json").string() + " " + args + " >" +
        (root_ / "stdout.txt").string() + " 2>" + (root_ / "stderr.txt").string() + " </dev/null";
    fs::remove(root_ / "stderr.txt");
    automuse::testing::use_test_store(root_);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
      ::_exit(127);
    }
    int status = 0;
    bool ended = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!ended && std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        ended = true;  // it finished before the text showed
      } else if (kill_now()) {
        ::kill(pid, SIGKILL);
        break;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    if (!ended) ::waitpid(pid, &status, 0);
    Result r;
    r.killed = WIFSIGNALED(status);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(root_ / "stdout.txt");
    r.err = read_file(root_ / "stderr.txt");
    return r;
  }

  void add_account(const std::string &extra = "") {
    auto r = host(
        "accounts add --plugin youtube --nickname ocean --set niche='ocean animals' "
        "--set refresh_token=" +
        std::string(kRefreshToken) + " " + extra);
    ASSERT_EQ(r.code, 0) << r.err;
  }

  std::string run_args(const std::string &extra = "") const {
    return "--plugin youtube run --account ocean --publish youtube --width 270 --height 480 "
           "--outbox " +
           (root_ / "outbox").string() + " " + extra;
  }

  json::array history() {
    auto r = host("history --plugin youtube --json");
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out).as_array();
  }

  std::vector<std::string> systems_asked() const {
    std::vector<std::string> out;
    for (const auto &b : llm_.chat_bodies())
      out.push_back(system_prompt(b.at("messages").as_array()));
    return out;
  }

  void add_x_account() {
    x_.add_user({"1001", "cook", "ck-1", "cs-1", "at-1", "as-1", "", ""});
    auto r = host(
        "accounts add --plugin twitter --nickname cook --set topic=oceans --set consumer_key=ck-1 "
        "--set consumer_secret=cs-1 --set access_token=at-1 --set access_token_secret=as-1");
    ASSERT_EQ(r.code, 0) << r.err;
  }

  // Whether the fake YouTube received a chunk (not a status query).
  bool chunk_arrived() const {
    for (const auto &p : yt_.puts())
      if (!p.status_query && p.first >= 0) return true;
    return false;
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
  bool long_script_ = false;
  // The cross-post's LLM answer waits while held, until released (the fake answers on its
  // own thread).
  std::atomic<bool> hold_cross_post_{false}, release_cross_post_{false}, cross_post_asked_{false};
  size_t image_requests() const { return images_server_.requests("/v1/images/generations").size(); }

  FakeOpenAI llm_;
  automuse::testing::FakeServer images_server_;
  automuse::testing::TempFolder images_dir_;
  FakeImageApis images_{images_server_, images_dir_.path()};
  FakeOAuth oauth_{FakeOAuth::google_client(kClientId, kClientSecret)};
  FakeYouTubeUpload yt_{oauth_};
  automuse::testing::FakeX x_;
};

size_t count_with(const std::vector<std::string> &v, const std::string &part) {
  return static_cast<size_t>(std::count_if(
      v.begin(), v.end(), [&](const std::string &s) { return s.find(part) != std::string::npos; }));
}

TEST_F(YoutubePublish, FromTheNicheToAPublishedShort) {
  add_account("--set privacy=unlisted --set made_for_kids=true");
  long_script_ = true;
  yt_.drop_chunk(1, 50000);  // the line drops after 50000 bytes of the first chunk
  auto r = host(run_args());
  ASSERT_EQ(r.code, 0) << r.err;
  auto result = json::parse(r.out).as_object();

  // The LLM path: topic, script, then metadata and image prompts; the script was too long, so
  // it went back with its measured duration, and metadata and prompts followed the new one.
  auto asked = systems_asked();
  ASSERT_GE(asked.size(), 5u);
  EXPECT_NE(asked[0].find("You plan YouTube Shorts"), std::string::npos);
  EXPECT_NE(asked[1].find("You write voice-over scripts"), std::string::npos);
  EXPECT_EQ(count_with(asked, "You edit voice-over scripts"), 1u);
  EXPECT_EQ(count_with(asked, "You write YouTube metadata"), 2u);
  EXPECT_EQ(count_with(asked, "You write prompts for an image generator"), 2u);
  std::string shorten;
  for (const auto &b : llm_.chat_bodies())
    if (system_prompt(b.at("messages").as_array()).find("You edit") != std::string::npos)
      shorten = user_prompt(b.at("messages").as_array());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(shorten, m, std::regex(R"(takes (\d+\.\d) seconds)"))) << shorten;
  const double measured = std::stod(m[1]);
  EXPECT_GT(measured, 10.0);
  EXPECT_NE(shorten.find("at most 10 seconds"), std::string::npos) << shorten;
  EXPECT_NE(shorten.find("Octopuses have three hearts and blue blood."), std::string::npos);
  EXPECT_EQ(shorten.find("Narrator"), std::string::npos) << "speaker labels are cleaned";

  // The outbox and its metadata.
  const fs::path folder(std::string(result.at("outbox").as_string()));
  auto meta = json::parse(read_file(folder / "metadata.json")).as_object();
  EXPECT_EQ(meta.at("script"), kShortScript);
  EXPECT_LE(meta.at("speech_duration").to_number<double>(), 10.0);
  EXPECT_EQ(meta.at("title"), "Three hearts, blue blood");
  EXPECT_EQ(meta.at("providers").at("topic"), "llm");
  EXPECT_EQ(meta.at("providers").at("title"), "llm");
  EXPECT_EQ(meta.at("providers").at("image_prompts"), "llm");
  EXPECT_EQ(meta.at("scenes").at(0).at("prompt"), "An octopus in a coral reef, scene 1");
  EXPECT_EQ(meta.at("scenes").at(0).at("provider"), "openai");
  ASSERT_GE(image_requests(), 1u);
  bool asked_for_scene_1 = false;
  for (const auto &q : images_server_.requests("/v1/images/generations"))
    asked_for_scene_1 = asked_for_scene_1 ||
                        std::string(q.json().at("prompt").as_string())
                                .find("An octopus in a coral reef, scene 1") != std::string::npos;
  EXPECT_TRUE(asked_for_scene_1) << "the LLM's prompts reach the image API";
  bool noted = false;
  char text[16];
  std::snprintf(text, sizeof text, "%.1f s", measured);
  for (const auto &n : meta.at("notes").as_array())
    noted =
        noted || std::string(n.as_string()).find(std::string("ran ") + text) != std::string::npos;
  EXPECT_TRUE(noted) << "metadata.json notes the measured " << text << ": "
                     << read_file(folder / "metadata.json");

  // The upload: every byte of the rendered file, resumed after the drop from byte 50000.
  auto videos = yt_.videos();
  ASSERT_EQ(videos.size(), 1u);
  const std::string rendered = read_file(folder / "video.mp4");
  ASSERT_GT(rendered.size(), 50000u);
  EXPECT_TRUE(videos[0].bytes == rendered)
      << "uploaded " << videos[0].bytes.size() << " bytes, rendered " << rendered.size();
  auto puts = yt_.puts();
  ASSERT_GE(puts.size(), 3u);
  EXPECT_EQ(puts[0].status, 0u);
  EXPECT_TRUE(puts[1].status_query);
  EXPECT_EQ(puts[1].range, "bytes=0-49999");
  EXPECT_EQ(puts[2].first, 50000);
  EXPECT_TRUE(yt_.rejections().empty());
  const auto &snippet = videos[0].metadata.at("snippet");
  EXPECT_EQ(snippet.at("title"), "Three hearts, blue blood");
  EXPECT_EQ(snippet.at("tags"), (json::array{"octopus", "ocean facts", "marine biology"}));
  const auto &status = videos[0].metadata.at("status");
  EXPECT_EQ(status.at("privacyStatus"), "unlisted");
  EXPECT_EQ(status.at("selfDeclaredMadeForKids"), true);
  EXPECT_EQ(status.at("containsSyntheticMedia"), true);

  // The result and history carry the video's id and URL.
  EXPECT_EQ(result.at("video_id"), videos[0].id.c_str());
  const std::string url = "https://youtube.com/shorts/" + videos[0].id;
  EXPECT_EQ(result.at("url"), url.c_str());
  auto h = history();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].at("status"), "published");
  EXPECT_EQ(h[0].at("remote_id"), videos[0].id.c_str());
  EXPECT_EQ(h[0].at("remote_url"), url.c_str());
  // No secret in what the user sees.
  for (const std::string &s : {r.out, r.err}) {
    EXPECT_EQ(s.find(kRefreshToken), std::string::npos);
    EXPECT_EQ(s.find(kClientSecret), std::string::npos);
    EXPECT_EQ(s.find("ya29."), std::string::npos);
  }
}

TEST_F(YoutubePublish, AJobKilledWhileRenderingResumesWithoutNewLlmOrImageRequests) {
  add_account();
  auto killed = host(run_args(), "step render: start");
  ASSERT_TRUE(killed.killed) << "the job ended before its render could be interrupted: "
                             << killed.err;
  EXPECT_FALSE(fs::exists(root_ / "outbox") && !fs::is_empty(root_ / "outbox"));
  EXPECT_TRUE(yt_.videos().empty());
  const size_t llm_requests = llm_.chat_count();
  ASSERT_GE(llm_requests, 4u);  // topic, script, metadata, image prompts
  const size_t pictures = image_requests();
  ASSERT_GE(pictures, 1u);

  auto r = host(run_args());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(llm_.chat_count(), llm_requests) << "the second run paid for the LLM again";
  EXPECT_EQ(image_requests(), pictures) << "the second run paid for the pictures again";
  EXPECT_NE(r.err.find("resuming the unfinished job"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("from the job's cache"), std::string::npos) << r.err;
  ASSERT_EQ(yt_.videos().size(), 1u);
  auto result = json::parse(r.out).as_object();
  const fs::path folder(std::string(result.at("outbox").as_string()));
  EXPECT_TRUE(yt_.videos()[0].bytes == read_file(folder / "video.mp4"));
  // The images were not made again either (the images service's cache answered).
  auto meta = json::parse(read_file(folder / "metadata.json")).as_object();
  bool from_cache = false;
  for (const auto &s : meta.at("steps").as_array())
    if (s.at("name") == "images")
      from_cache = std::string(s.at("note").as_string()).find("from cache") != std::string::npos;
  EXPECT_TRUE(from_cache) << read_file(folder / "metadata.json");

  // A third run with --again is a new job: the finished one cleared its marker.
  auto again = host(run_args("--again"));
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.err.find("resuming the unfinished job"), std::string::npos) << again.err;
  EXPECT_EQ(yt_.videos().size(), 2u);
}

TEST_F(YoutubePublish, QuotaExceededStopsKeepsTheVideoAndRecordsTheFailure) {
  add_account();
  yt_.refuse_start("quotaExceeded", 10);
  auto r = host(run_args());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("quotaExceeded"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the video stays in " + (root_ / "outbox").string()), std::string::npos)
      << r.err;
  size_t starts = 0;
  for (const auto &q : yt_.server().requests("/upload/youtube/v3/videos"))
    starts += q.method == "POST";
  EXPECT_EQ(starts, 1u) << "no retry loop";
  auto h = history();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].at("status"), "failed");
  EXPECT_TRUE(fs::exists(std::string(h[0].at("local_file").as_string())));
}

// automuse.json's limits.upload_mb reaches the plugin's upload through the host's HTTP service:
// the resumable session declares the video's size and is refused before it is opened, so
// YouTube sees no request at all; the error names the host and the setting.
TEST_F(YoutubePublish, AVideoOverTheUploadCapIsRefusedBeforeTheUploadStarts) {
  json::object config = json::parse(read_file(root_ / "automuse.json")).as_object();
  config["limits"] = json::object{{"upload_mb", 0.01}};  // about 10 KB: less than any video
  std::ofstream(root_ / "automuse.json", std::ios::trunc) << json::serialize(config);
  add_account();
  auto r = host(run_args());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("limits.upload_mb (10.24 KB)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("to 127.0.0.1"), std::string::npos) << r.err;
  EXPECT_EQ(yt_.server().requests("/upload/youtube/v3/videos").size(), 0u);
  auto h = history();  // nothing went out: a failure, not an uncertain upload
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].at("status"), "failed");
  EXPECT_TRUE(fs::exists(std::string(h[0].at("local_file").as_string())));
}

TEST_F(YoutubePublish, InvalidGrantTellsTheUserToRunTheAuthCommand) {
  add_account();
  oauth_.revoke_refresh_tokens();
  auto r = host(run_args());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("invalid_grant"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("automuse-host auth youtube --account ocean"), std::string::npos) << r.err;
  EXPECT_EQ(yt_.server().request_count(), 0u);
  EXPECT_EQ(r.err.find(kRefreshToken), std::string::npos);
}

TEST_F(YoutubePublish, RunUploadsByDefaultThroughATokenExpiringMidUpload) {
  add_account();
  yt_.expire_token_at_chunk(1);  // the access token expires as the first chunk arrives
  auto r = host("--plugin youtube run --account ocean --width 270 --height 480 --outbox " +
                (root_ / "outbox").string());
  ASSERT_EQ(r.code, 0) << r.err;
  auto videos = yt_.videos();
  ASSERT_EQ(videos.size(), 1u) << "run publishes without --publish";
  EXPECT_EQ(json::parse(r.out).at("video_id"), videos[0].id.c_str());
  EXPECT_EQ(oauth_.refreshes(), 2) << "refreshed once mid-upload";
  EXPECT_EQ(yt_.sessions_started(), 1);
  EXPECT_NE(r.err.find("refreshing it and resuming"), std::string::npos) << r.err;
  auto h = history();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].at("status"), "published");

  // --publish outbox is the dry run: made, kept, not uploaded.
  auto dry = host(
      "--plugin youtube run --account ocean --publish outbox --topic 'Sea otters' "
      "--width 270 --height 480 --outbox " +
      (root_ / "outbox").string());
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_FALSE(json::parse(dry.out).as_object().contains("video_id"));
}

TEST_F(YoutubePublish, AServerTakingNoBytesEndsTheUploadNamingAccountAndSession) {
  add_account();
  yt_.stall_chunks(1, 1000);
  auto r = host(run_args());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("account 'ocean'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("upload session fake-upload-1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("308 5 times in a row"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the video stays in"), std::string::npos) << r.err;
  size_t chunk_puts = 0;
  for (const auto &p : yt_.puts()) chunk_puts += !p.status_query;
  EXPECT_EQ(chunk_puts, 5u);
  EXPECT_TRUE(yt_.videos().empty());
  EXPECT_EQ(history()[0].at("status"), "failed");
}

TEST_F(YoutubePublish, AnUnconfirmedUploadIsUncertainToldHowToCheckAndNotRecordedFailed) {
  add_account();
  yt_.lose_final_answer();        // the video is made, its answer lost
  yt_.fail_status_queries(1000);  // and the session cannot be asked
  auto r = host(run_args());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("may be published"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("https://studio.youtube.com"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("account 'ocean'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Three hearts, blue blood"), std::string::npos) << "the title to look for";
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.sessions_started(), 1) << "never uploaded again";
  auto h = history();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].at("status"), "generated") << "not recorded as failed: it may be published";
  EXPECT_NE(std::string(h[0].at("error").as_string()).find("may be published"), std::string::npos);
}

// Killed once the upload is done and recorded (while the cross-post is being written): the re-run
// resumes the run, uploads nothing, and cross-posts once.
TEST_F(YoutubePublish, ARerunAfterAKillOnceUploadedPublishesNothingNew) {
  add_account();
  add_x_account();
  hold_cross_post_ = true;
  const std::string args = run_args("--also-publish twitter:cook");
  auto killed = host_killed(args, [this] { return cross_post_asked_.load(); });
  release_cross_post_ = true;
  ASSERT_TRUE(killed.killed) << "the run ended before it could be killed: " << killed.err;
  ASSERT_EQ(yt_.videos().size(), 1u);
  ASSERT_TRUE(x_.posts().empty());
  const size_t puts = yt_.puts().size();

  auto r = host(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("resuming the interrupted run"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("already on the channel"), std::string::npos) << r.err;
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.sessions_started(), 1);
  EXPECT_EQ(yt_.puts().size(), puts) << "nothing was sent to YouTube again";
  const std::string url = "https://youtube.com/shorts/" + yt_.videos()[0].id;
  auto result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("url"), url.c_str());
  EXPECT_EQ(result.at("already_published"), true);
  auto posts = x_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_NE(posts[0].text.find(url), std::string::npos) << posts[0].text;

  // The same command once more: that run is finished; its result is reported, nothing done.
  const size_t asked = llm_.chat_count();
  auto third = host(args);
  ASSERT_EQ(third.code, 0) << third.err;
  EXPECT_EQ(json::parse(third.out), json::parse(r.out));
  EXPECT_NE(third.err.find("already ran to its end"), std::string::npos) << third.err;
  EXPECT_EQ(llm_.chat_count(), asked);
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(x_.posts().size(), 1u);
}

// Killed while the server holds a chunk it has not answered: the re-run asks that same session
// where it stands and sends the rest from there.
TEST_F(YoutubePublish, AKillMidUploadContinuesTheSameSession) {
  add_account("--set max_duration=30");
  long_script_ = true;  // about 20 s: a video of several 256 KiB chunks
  yt_.delay_answer_to_chunk(1, std::chrono::seconds(30));
  auto killed = host_killed(run_args(), [this] { return chunk_arrived(); });
  ASSERT_TRUE(killed.killed) << killed.err;
  ASSERT_EQ(yt_.sessions_started(), 1);
  const auto before = yt_.puts();
  ASSERT_EQ(before.size(), 1u);

  auto r = host(run_args());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("continuing the upload session of an earlier run"), std::string::npos)
      << r.err;
  EXPECT_EQ(yt_.sessions_started(), 1) << "the same session went on";
  auto videos = yt_.videos();
  ASSERT_EQ(videos.size(), 1u);
  ASSERT_GT(videos[0].bytes.size(), FakeYouTubeUpload::kQuantum) << "more than one chunk";
  auto puts = yt_.puts();
  ASSERT_GT(puts.size(), 2u) << "a status query, then the rest";
  EXPECT_TRUE(puts[1].status_query) << "the re-run first asks where the upload stands";
  EXPECT_EQ(puts[1].upload_id, before[0].upload_id);
  for (size_t i = 2; i < puts.size(); ++i) {
    EXPECT_EQ(puts[i].upload_id, before[0].upload_id);
    EXPECT_EQ(static_cast<uint64_t>(puts[i].first), puts[i].server_before)
        << "chunk " << i << " continues where the server stood";
    EXPECT_GE(puts[i].first, static_cast<int64_t>(FakeYouTubeUpload::kQuantum));
  }
  EXPECT_TRUE(yt_.rejections().empty());
  // What arrived is one whole rendered file (the one the session was started for).
  bool whole = false;
  for (const auto &d : fs::directory_iterator(root_ / "outbox"))
    whole = whole || read_file(d.path() / "video.mp4") == videos[0].bytes;
  EXPECT_TRUE(whole) << videos[0].bytes.size() << " bytes arrived";
  auto result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("video_id"), videos[0].id.c_str());
  EXPECT_FALSE(result.contains("already_published"));
}

TEST_F(YoutubePublish, AFinishedRunIsReportedNotRepeatedUnlessAgain) {
  add_account();
  auto first = host(run_args());
  ASSERT_EQ(first.code, 0) << first.err;
  const size_t asked = llm_.chat_count();
  auto second = host(run_args());
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(json::parse(second.out), json::parse(first.out));
  EXPECT_NE(second.err.find("already ran to its end"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("--again"), std::string::npos) << second.err;
  EXPECT_EQ(llm_.chat_count(), asked) << "no new work";
  EXPECT_EQ(yt_.videos().size(), 1u);

  auto again = host(run_args("--again"));
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(yt_.videos().size(), 2u);
  EXPECT_EQ(yt_.sessions_started(), 2);
  EXPECT_NE(json::parse(again.out).at("video_id"), json::parse(first.out).at("video_id"));
}

// Killed after the server took the last byte but before its answer arrived: the re-run's status
// query gets the video itself, which is recorded; nothing is sent again.
TEST_F(YoutubePublish, AKillAfterTheLastByteFindsTheVideoBySessionStatus) {
  add_account();
  yt_.delay_answer_to_chunk(1, std::chrono::seconds(30));
  auto killed = host_killed(run_args(), [this] { return !yt_.videos().empty(); });
  ASSERT_TRUE(killed.killed) << killed.err;
  ASSERT_EQ(yt_.videos().size(), 1u) << "the short video fits in one chunk";

  auto r = host(run_args());
  ASSERT_EQ(r.code, 0) << r.err;
  auto puts = yt_.puts();
  ASSERT_EQ(puts.size(), 2u);
  EXPECT_TRUE(puts[1].status_query);
  EXPECT_EQ(puts[1].status, 200u);
  EXPECT_EQ(yt_.sessions_started(), 1);
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(json::parse(r.out).at("video_id"), yt_.videos()[0].id.c_str());
  // The re-run's record holds the video (the killed run's stays "generated"; both may carry
  // the same second, so the listing's order between them is not what is checked).
  bool recorded = false;
  for (const auto &row : history())
    recorded |=
        row.at("status") == "published" && row.at("remote_id") == yt_.videos()[0].id.c_str();
  EXPECT_TRUE(recorded);
}

}  // namespace

// `publish --item`: a Short generate kept is uploaded as run would upload it — the kept bytes,
// once: publishing it again, or a run of the same Short, finds it on the channel through the
// ledger. An unknown item is refused naming it.
TEST_F(YoutubePublish, PublishUploadsAKeptShortOnceUnderRunsLedgerKey) {
  add_account();
  auto made = host("--plugin youtube generate --account ocean --width 270 --height 480 --outbox " +
                   (root_ / "outbox").string());
  ASSERT_EQ(made.code, 0) << made.err;
  const auto kept = json::parse(made.out).as_object();
  const std::string id(kept.at("history_id").as_string());
  EXPECT_EQ(yt_.sessions_started(), 0);

  auto missing = host("--plugin youtube publish --account ocean --item no-such-short");
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.err.find("no Short 'no-such-short'"), std::string::npos) << missing.err;

  auto first = host("--plugin youtube publish --account ocean --item " + id);
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.videos()[0].bytes, read_file(std::string(kept.at("video").as_string())));
  const auto result = json::parse(first.out).as_object();
  EXPECT_EQ(result.at("history_id"), id.c_str());
  EXPECT_EQ(result.at("video_id"), yt_.videos()[0].id.c_str());
  EXPECT_EQ(yt_.videos()[0].metadata.at("snippet").at("title"), kept.at("title"));

  // Another job publishing the same Short: the ledger knows it is on the channel.
  auto second =
      host("--plugin youtube publish --account ocean --item " + id + " --publish youtube");
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(second.err.find("already on the channel"), std::string::npos) << second.err;
  EXPECT_EQ(json::parse(second.out).at("already_published"), true);
  EXPECT_EQ(yt_.videos().size(), 1u);
  EXPECT_EQ(yt_.sessions_started(), 1);
}
