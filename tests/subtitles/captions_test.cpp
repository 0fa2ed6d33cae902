// tests/subtitles/captions_test.cpp — captions from real espeak-ng word timings: the SRT the
// speech service exports has exactly the cards and line breaks of the ASS the renderer burns in,
// and a sentence ended by an emoji before its stop ends its card.
#include <automuse_render/ass_subtitles.h>
#include <automuse_render/captions.h>
#include <automuse_render/render.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "speech/caption_formats.hpp"
#include "speech/synthesizer.hpp"

using namespace automuse;

namespace {

// A script with a link read aloud, emoji, and long words: what a Short's script looks like.
const std::string kScript =
    "Three habits changed my mornings ☀️. First, I stopped checking my phone in bed. Read more "
    "at https://www.example.com/guides/morning-routines?utm_source=shorts&ref=automuse today! "
    "Second, I drink a full glass of water 💧 before coffee. Third, an extraordinarily "
    "uncomplicated plan: write tomorrow's single most important task tonight 🚀.";

const std::vector<speech::WordTiming> &script_words() {
  static const std::vector<speech::WordTiming> words = speech::synthesize_script(kScript, {}).words;
  return words;
}

// "0:00:01.25" -> seconds
double ass_seconds(const std::string &t) {
  int h = 0, m = 0;
  double s = 0;
  EXPECT_EQ(std::sscanf(t.c_str(), "%d:%d:%lf", &h, &m, &s), 3) << t;
  return h * 3600 + m * 60 + s;
}

// The cards an ASS script shows, read back from its events: consecutive events showing the same
// text (override tags removed) are one card, its lines split at \N.
std::vector<render::SrtCue> ass_cards(const std::string &ass) {
  static const std::regex dialogue(R"(^Dialogue: 0,([^,]+),([^,]+),Default,,0,0,0,,(.*)$)");
  std::vector<render::SrtCue> cards;
  std::string previous_text;
  std::istringstream in(ass);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, dialogue)) continue;
    const std::string text = std::regex_replace(m[3].str(), std::regex(R"(\{[^}]*\})"), "");
    if (cards.empty() || text != previous_text) {
      render::SrtCue card;
      card.start = ass_seconds(m[1]);
      for (size_t at = 0;;) {
        const size_t br = text.find("\\N", at);
        card.lines.push_back(text.substr(at, br == std::string::npos ? br : br - at));
        if (br == std::string::npos) break;
        at = br + 2;
      }
      cards.push_back(std::move(card));
    }
    cards.back().end = ass_seconds(m[2]);
    previous_text = text;
  }
  return cards;
}

class Captions : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "automuse-captions-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // The ASS the renderer burns into a 270x480 video of these words in this style.
  std::string burned_ass(const std::vector<speech::WordTiming> &words,
                         const render::SubtitleStyle &style) {
    const std::string subtitles = speech::renderer_subtitles_json(words, style);
    const std::string timeline = R"({"canvas": {"width": 270, "height": 480},
        "scenes": [{"image": "a.png", "duration": 1}],
        "subtitles": )" + subtitles.substr(0, subtitles.size() - 1) +
                                 R"(}, "output": {"path": "o.mp4"}})";
    render::ParseResult parsed = render::parse_timeline(timeline, dir_);
    EXPECT_TRUE(parsed.timeline) << parsed.error->to_string();
    // What the renderer burns (and write_ass hands out): the one builder, over the words and
    // style the timeline's JSON parsed into.
    const render::Timeline &t = *parsed.timeline;
    return render::build_ass(t.subtitles->words, t.subtitles->style, t.canvas,
                             t.subtitles->fonts_dir);
  }

  std::filesystem::path dir_;
};

TEST_F(Captions, ExportedSrtHasTheBurnedInCardsAndLineBreaks) {
  const auto &words = script_words();
  ASSERT_GT(words.size(), 30u);
  render::SubtitleStyle style;
  ASSERT_FALSE(render::parse_subtitle_style(
      R"({"size": 20, "position": "bottom", "margin_right": 0.18, "margin_vertical": 0.26,
          "max_chars_per_line": "auto", "max_lines": 2, "max_words": 8})",
      style));
  const render::Canvas canvas{270, 480, 30, {}};
  const render::SrtParse srt =
      render::parse_srt(speech::caption_output(AM_CAPTIONS_SRT, words, style, canvas));
  ASSERT_FALSE(srt.error) << srt.error->to_string();
  const std::string ass = burned_ass(words, style);
  ASSERT_NE(ass.find("WrapStyle: 2"), std::string::npos) << "libass must not re-wrap the lines";
  const std::vector<render::SrtCue> burned = ass_cards(ass);
  ASSERT_GT(srt.cues.size(), 5u);
  ASSERT_EQ(burned.size(), srt.cues.size());
  bool some_two_line_card = false, url_broken = false;
  for (size_t i = 0; i < burned.size(); ++i) {
    EXPECT_EQ(burned[i].lines, srt.cues[i].lines) << "card " << i + 1;
    EXPECT_NEAR(burned[i].start, srt.cues[i].start, 0.006) << "card " << i + 1;
    EXPECT_NEAR(burned[i].end, srt.cues[i].end, 0.006) << "card " << i + 1;
    some_two_line_card = some_two_line_card || srt.cues[i].lines.size() == 2;
    for (const std::string &line : srt.cues[i].lines) {
      EXPECT_EQ(line.find("\xF0\x9F"), std::string::npos) << "an emoji on screen: " << line;
      url_broken = url_broken || line == "example.com/" || line.rfind("https://", 0) == 0;
    }
  }
  EXPECT_TRUE(some_two_line_card);
  EXPECT_TRUE(url_broken) << "the link is set over several lines";
}

TEST_F(Captions, AnEmojiBeforeTheFullStopStillEndsTheSentence) {
  // Real speech: the stop sits on an unspoken emoji, yet the next sentence starts a new card.
  const auto words =
      speech::synthesize_script("It was my week ⏰. Next comes the weekend.", {}).words;
  render::SubtitleStyle style;
  style.max_lines = 3;
  const render::SrtParse srt = render::parse_srt(
      speech::caption_output(AM_CAPTIONS_SRT, words, style, render::Canvas{1080, 1920, 30, {}}));
  ASSERT_FALSE(srt.error) << srt.error->to_string();
  ASSERT_EQ(srt.cues.size(), 2u);
  auto shown = [](const render::SrtCue &cue) {
    std::string text;
    for (const std::string &line : cue.lines) text += (text.empty() ? "" : " ") + line;
    return text;
  };
  EXPECT_EQ(shown(srt.cues[0]), "It was my week.");
  EXPECT_EQ(shown(srt.cues[1]), "Next comes the weekend.");
}

}  // namespace
