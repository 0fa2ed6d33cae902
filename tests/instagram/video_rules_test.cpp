// tests/instagram/video_rules_test.cpp — the MP4 reader (plugin_support's, shared with TikTok) and
// Instagram's Reel rules on real files made by the ffmpeg command-line tool: a file that fits
// passes, and each rule is broken by one file (too short, moov at the end, an edit list, too wide,
// a low frame rate, 4:4:4 chroma, 96 kHz audio, not an MP4 at all), refused with that rule named.
#include "video_rules.hpp"

#include <gtest/gtest.h>

#include <automuse/cpp/error.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "caption_rules.hpp"
#include "mp4_probe.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using instagram::broken_rules;
using plugin_support::probe_mp4;

namespace {

class ReelRules : public ::testing::Test {
 protected:
  // An MP4 by ffmpeg: `video` and `audio` are lavfi sources, `extra` more output options.
  fs::path make(const std::string &name, const std::string &video, double seconds,
                const std::string &extra = "-pix_fmt yuv420p -movflags +faststart -use_editlist 0",
                const std::string &audio = "sine=frequency=440:sample_rate=44100") {
    const fs::path out = temp_.path() / name;
    const std::string cmd = "ffmpeg -loglevel error -y -f lavfi -i " + video + " -f lavfi -i " +
                            audio + " -t " + std::to_string(seconds) +
                            " -c:v libx264 -preset ultrafast -c:a aac -shortest " + extra + " " +
                            out.string();
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return out;
  }
  static std::string joined(const std::vector<std::string> &rules) {
    std::string out;
    for (const auto &r : rules) out += r + "\n";
    return out;
  }

  automuse::testing::TempFolder temp_;
  const std::string kVertical = "testsrc=size=180x320:rate=30";
};

TEST_F(ReelRules, AFittingShortPassesAndIsReadRight) {
  const fs::path file =
      make("ok.mp4", kVertical, 3.5, "-pix_fmt yuv420p -movflags +faststart -use_editlist 0");
  const auto info = probe_mp4(file.string());
  EXPECT_EQ(info.major_brand, "isom");
  EXPECT_TRUE(info.moov_before_mdat);
  EXPECT_FALSE(info.has_edit_list);
  EXPECT_NEAR(info.duration_seconds, 3.5, 0.1);
  const plugin_support::Mp4Track *video = info.track("vide");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->codec, "avc1");
  EXPECT_EQ(video->width, 180u);
  EXPECT_EQ(video->height, 320u);
  EXPECT_NEAR(video->frame_rate, 30, 0.01);
  EXPECT_EQ(video->chroma_format, 1);
  const plugin_support::Mp4Track *audio = info.track("soun");
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(audio->codec, "mp4a");
  EXPECT_EQ(audio->sample_rate, 44100);
  EXPECT_EQ(audio->channels, 1);  // from the AAC config: the sample entry says 2
  EXPECT_TRUE(broken_rules(info).empty()) << joined(broken_rules(info));
  EXPECT_NO_THROW(instagram::check_reel_video(file.string(), "Instagram account 'chef'"));
}

TEST_F(ReelRules, EachBrokenRuleIsNamed) {
  struct Case {
    fs::path file;
    std::string rule;
  };
  const Case cases[] = {
      {make("short.mp4", kVertical, 2), "duration: 2.0 s"},
      {make("moov-last.mp4", kVertical, 3.5, "-pix_fmt yuv420p -use_editlist 0"),
       "moov at the front"},
      {make("elst.mp4", kVertical, 3.5, "-pix_fmt yuv420p -movflags +faststart"), "no edit lists"},
      {make("wide.mp4", "testsrc=size=2000x1126:rate=30", 3.2), "width: 2000 columns"},
      {make("slow.mp4", "testsrc=size=180x320:rate=15", 3.5), "frame rate: 15.00 fps"},
      {make("chroma.mp4", kVertical, 3.5, "-pix_fmt yuv444p -movflags +faststart -use_editlist 0"),
       "chroma subsampling"},
      {make("hifi.mp4", kVertical, 3.5, "-pix_fmt yuv420p -movflags +faststart -use_editlist 0",
            "sine=frequency=440:sample_rate=96000"),
       "audio sample rate: 96000 Hz"},
  };
  for (const Case &c : cases) {
    const auto broken = broken_rules(probe_mp4(c.file.string()));
    ASSERT_EQ(broken.size(), 1u) << c.file << "\n" << joined(broken);
    EXPECT_EQ(broken[0].rfind(c.rule, 0), 0u) << broken[0];
  }
}

TEST_F(ReelRules, TheErrorNamesTheAccountTheFileAndTheRule) {
  const fs::path file = make("short.mp4", kVertical, 1.5);
  try {
    instagram::check_reel_video(file.string(), "Instagram account 'chef'");
    FAIL() << "a 1.5 s video was accepted";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
    const std::string what = e.what();
    EXPECT_NE(what.find("Instagram account 'chef'"), std::string::npos) << what;
    EXPECT_NE(what.find(file.string()), std::string::npos) << what;
    EXPECT_NE(what.find("duration: 1.5 s, Instagram takes 3 s to 15 min"), std::string::npos)
        << what;
  }
}

TEST_F(ReelRules, AFileThatIsNotAnMp4IsRefusedClearly) {
  const fs::path text = temp_.path() / "notes.mp4";
  std::ofstream(text) << "these are not video bytes at all, just some words in a file";
  try {
    instagram::check_reel_video(text.string(), "Instagram account 'chef'");
    FAIL() << "a text file was accepted";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("notes.mp4"), std::string::npos) << e.what();
  }
  try {
    instagram::check_reel_video((temp_.path() / "missing.mp4").string(),
                                "Instagram account 'chef'");
    FAIL() << "a missing file was accepted";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_NOT_FOUND);
  }
}

}  // namespace

namespace {

TEST(InstagramCaption, LimitsAreCheckedAndNamed) {
  EXPECT_NO_THROW(instagram::check_caption("Three hearts 🐙 #octopus @aquarium", "A"));
  std::string long_text(2200, 'x');
  EXPECT_NO_THROW(instagram::check_caption(long_text, "A"));
  std::string tags;
  for (int i = 0; i < 31; ++i) tags += "#tag" + std::to_string(i) + " ";
  const std::pair<std::string, std::string> cases[] = {
      {long_text + "y", "2201 characters, Instagram takes at most 2200"},
      {tags, "31 hashtags, Instagram takes at most 30"},
  };
  for (const auto &[caption, rule] : cases) {
    try {
      instagram::check_caption(caption, "Instagram account 'chef'");
      FAIL() << rule;
    } catch (const am::error &e) {
      EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
      EXPECT_NE(std::string(e.what()).find("Instagram account 'chef': the caption has " + rule),
                std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
