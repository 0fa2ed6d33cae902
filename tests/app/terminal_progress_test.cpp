// tests/app/terminal_progress_test.cpp — the command line's live progress, as a user sees it:
// `automuse-host --plugin youtube generate` made offline on a real pseudo-terminal (forkpty)
// draws one line per step in place, with a bar for the render whose percentages rise to
// 100 %; on a pipe, and on a terminal with TERM=dumb, the plain log lines come out as before,
// without a control sequence. `run --publish youtube` to the fake YouTube draws the upload's
// bar on its "upload" line the same way (percent, speed, time left), plain lines on a pipe.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/host_process.hpp"
#include "support/oauth/fake_oauth.hpp"
#include "support/temp_folder.hpp"
#include "support/terminal_run.hpp"
#include "support/youtube/fake_youtube_upload.hpp"
#include "support/youtube/google_client.hpp"

using namespace automuse::testing;
using automuse::testing::google_client::kClientId;
using automuse::testing::google_client::kClientSecret;
using automuse::testing::google_client::kRefreshToken;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

using TermRun = TerminalRun;

class TerminalProgress : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(root_ / "automuse.json") << R"({"plugins": {"youtube": {}}})";
    std::ofstream(root_ / "script.txt")
        << "An octopus has three hearts. Its blood is blue. It tastes with its arms. A group "
           "of owls is a parliament. Honey never spoils. Sharks are older than trees.";
  }

  std::vector<std::string> argv(const std::string &title) {
    return host_argv(
        host_exe(HOST_EXE), PLUGIN_DIR, root_,
        {"--plugin", "youtube", "generate", "--script", (root_ / "script.txt").string(), "--title",
         title, "--width", "360", "--height", "640"});
  }
  std::vector<std::string> env(const std::string &term) {
    auto e = sandbox_env(root_);
    e.push_back("XDG_CACHE_HOME=" + (root_ / "cache").string());
    e.push_back("TERM=" + term);
    e.push_back("COLUMNS=120");
    return e;
  }

  // Runs the host on a new pseudo-terminal of 120 columns and reads it to the end.
  TermRun on_terminal(const std::string &title, const std::string &term) {
    return on_terminal(argv(title), term);
  }
  TermRun on_terminal(const std::vector<std::string> &args, const std::string &term) {
    return run_on_terminal(args, env(term));
  }

  TempFolder temp_;
  fs::path root_ = temp_.path();
};

// Every "NN.N%" a bar drew (any step's, or step `step`'s), in order.
std::vector<double> bar_percents(const std::string &text) {
  return bar_percents_of(text, "");
}
std::vector<double> step_percents(const std::string &text, const std::string &step) {
  return bar_percents_of(text, step);
}

// `run --publish youtube` made offline (the script and title given), then uploaded to the fake
// YouTube over loopback in pieces of 256 KiB, each answer a little late: a video of about 1 MB
// is 4 pieces, and the bar is drawn between them.
class TerminalUpload : public TerminalProgress {
 protected:
  void SetUp() override {
    TerminalProgress::SetUp();
    json::object config{{"plugins",
                         {{"youtube",
                           {{"client_id", kClientId},
                            {"client_secret", kClientSecret},
                            {"token_url", oauth_.token_url()},
                            {"upload_url", yt_.upload_url()},
                            {"chunk_kib", 256},
                            {"max_duration", 60}}}}},
                        {"log", {{"file", false}}}};
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
    // About 20 s of speech: a video of about 1 MB at 540x960.
    std::ofstream(root_ / "script.txt")
        << "An octopus has three hearts. Its blood is blue. It tastes with its arms. A group "
           "of owls is a parliament. Honey never spoils. Sharks are older than trees. A day "
           "on Venus is longer than its year. Bananas are berries, and strawberries are not. "
           "Wombats leave cube shaped droppings. A snail can sleep for three years.";
    oauth_.add_refresh_token(kRefreshToken);
    for (int chunk = 1; chunk <= 12; ++chunk) yt_.delay_answer_to_chunk(chunk, Ms(150));
    HostProcess add(
        host_argv(host_exe(HOST_EXE), PLUGIN_DIR, root_,
                  {"accounts", "add", "--plugin", "youtube", "--nickname", "ocean", "--set",
                   "niche=oceans", "--set", "refresh_token=" + std::string(kRefreshToken)}),
        env("xterm"));
    ASSERT_EQ(add.wait(), 0) << add.err();
  }
  std::vector<std::string> run_argv(const std::string &title) {
    return host_argv(host_exe(HOST_EXE), PLUGIN_DIR, root_,
                     {"--plugin", "youtube", "run", "--account", "ocean", "--publish", "youtube",
                      "--script", (root_ / "script.txt").string(), "--title", title, "--width",
                      "540", "--height", "960", "--outbox", (root_ / "outbox").string()});
  }
  // The video the fake YouTube made, as it arrived.
  std::string uploaded() const {
    const auto videos = yt_.videos();
    return videos.size() == 1 ? videos[0].bytes : std::string();
  }

  FakeOAuth oauth_{FakeOAuth::google_client(kClientId, kClientSecret)};
  FakeYouTubeUpload yt_{oauth_};
};

}  // namespace

TEST_F(TerminalProgress, ATerminalShowsOneLinePerStepAndARisingRenderBar) {
  TermRun r = on_terminal("On a terminal", "xterm");
  ASSERT_EQ(r.code, 0) << r.out;
  // Each step a line of its own, ended with its time; redrawn in place (cursor up, clear line).
  for (const char *step : {"script", "speech", "render", "outbox"})
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex(std::string("  ") + step + " +[^\n]*done in [0-9.]+ s")))
        << step << "\n"
        << r.out;
  EXPECT_NE(r.out.find("\033[2K"), std::string::npos);
  EXPECT_NE(r.out.find("F\033[2K"), std::string::npos) << "never redrawn in place";
  const std::vector<double> percents = bar_percents(r.out);
  ASSERT_FALSE(percents.empty()) << r.out;
  EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end())) << r.out;
  EXPECT_EQ(percents.back(), 100.0) << r.out;
  std::set<double> between;
  for (double p : percents)
    if (p > 0 && p < 100) between.insert(p);
  EXPECT_GE(between.size(), 2u) << "the bar did not move: " << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("fps  eta +[0-9]+s"))) << r.out;
  // The informational log lines the steps stand for are not printed; the result still is.
  EXPECT_EQ(r.out.find("] info step render: start"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"video\""), std::string::npos) << r.out;
}

TEST_F(TerminalProgress, OnAPipeOrADumbTerminalThePlainLogLinesComeOut) {
  HostProcess piped(argv("On a pipe"), env("xterm"));
  ASSERT_EQ(piped.wait(), 0) << piped.err();
  TermRun dumb = on_terminal("On a dumb terminal", "dumb");
  ASSERT_EQ(dumb.code, 0) << dumb.out;
  static const std::regex log_line(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{12} \\[[a-z_]+\\] [a-z]+ .*$");
  for (const std::string &text : {piped.err(), dumb.out}) {
    EXPECT_EQ(text.find('\033'), std::string::npos) << text;
    EXPECT_NE(text.find("] info step render: start"), std::string::npos) << text;
    EXPECT_NE(text.find("] info render: 100%"), std::string::npos) << text;
    EXPECT_TRUE(bar_percents(text).empty()) << text;
  }
  // stderr on the pipe is the log lines alone, each whole.
  std::istringstream lines(piped.err());
  for (std::string line; std::getline(lines, line);)
    EXPECT_TRUE(std::regex_match(line, log_line)) << line;
}

TEST_F(TerminalUpload, ATerminalShowsTheUploadsBarRisingTo100WithItsSpeed) {
  TermRun r = on_terminal(run_argv("Uploaded on a terminal"), "xterm");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string video = uploaded();
  ASSERT_GT(video.size(), 3 * FakeYouTubeUpload::kQuantum) << "too small for 4 pieces";
  // The plugin's "upload" step is the line with the bar: it ends done, at 100 %.
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("  upload +\\[#{32}\\] +100\\.0%  done in [0-9.]+ s")))
      << r.out;
  const std::vector<double> percents = step_percents(r.out, "upload");
  EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end())) << r.out;
  ASSERT_FALSE(percents.empty()) << r.out;
  EXPECT_EQ(percents.back(), 100.0) << r.out;
  std::set<double> values(percents.begin(), percents.end());
  EXPECT_GE(values.size(), 3u) << "the bar did not move: " << r.out;
  // The speed in bytes a second, in human units, and the time left.
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("  upload +\\[[#.]{32}\\] +[0-9.]+%  +[0-9.]+ (B|KB|MB|GB)/s  eta ")))
      << r.out;
  // The render's bar is still its own line.
  EXPECT_FALSE(step_percents(r.out, "render").empty()) << r.out;
  EXPECT_EQ(r.out.find("] info step upload: start"), std::string::npos) << r.out;
}

TEST_F(TerminalUpload, OnAPipeTheUploadIsPlainLogLines) {
  HostProcess piped(run_argv("Uploaded on a pipe"), env("xterm"));
  ASSERT_EQ(piped.wait(), 0) << piped.err();
  EXPECT_FALSE(uploaded().empty());
  const std::string text = piped.err();
  EXPECT_EQ(text.find('\033'), std::string::npos) << text;
  EXPECT_NE(text.find("] info step upload: start"), std::string::npos) << text;
  EXPECT_NE(text.find("] info step upload: done"), std::string::npos) << text;
  EXPECT_TRUE(bar_percents(text).empty()) << text;
}
