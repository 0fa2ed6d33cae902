// tests/subtitles/captions_test.cpp — caption cards from real espeak-ng word timings.
#include "subtitles/captions.hpp"

#include <ass/ass.h>
#include <gtest/gtest.h>

#include <sstream>

#include "speech/synthesizer.hpp"
#include "subtitles/caption_files.hpp"

#ifdef AUTOMUSE_HAVE_RENDER
#include <automuse_render/timeline.h>
#endif

using namespace automuse;
using namespace automuse::subtitles;

namespace {

const std::string kScript =
    "Three habits changed my mornings. First, I stopped checking my phone in bed. Second, I "
    "drink a full glass of water, before coffee. Third, an extraordinarily uncomplicated "
    "plan: write tomorrow's single most important task tonight!";

const std::vector<WordTiming> &script_words() {
  static std::vector<WordTiming> words = speech::synthesize_script(kScript, {}).words;
  return words;
}

std::vector<std::string> split_spaces(const std::string &s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST(Captions, RespectLimitsAndKeepEveryWordOnce) {
  const auto &words = script_words();
  CaptionOptions o;
  o.max_chars_per_line = 18;
  o.max_lines = 2;
  o.max_words = 6;
  auto cards = make_captions(words, o);
  ASSERT_GT(cards.size(), 4u);
  size_t next_word = 0;
  double prev_end = 0;
  for (const Caption &c : cards) {
    EXPECT_EQ(c.first_word, next_word);
    EXPECT_LE(c.word_count, 6u);
    EXPECT_LE(c.lines.size(), 2u);
    std::vector<std::string> shown;
    for (const auto &line : c.lines) {
      auto ws = split_spaces(line);
      // Over-long lines only for a single word that is longer than a line by itself.
      if (display_length(line) > 18) {
        EXPECT_EQ(ws.size(), 1u) << line;
      }
      shown.insert(shown.end(), ws.begin(), ws.end());
    }
    ASSERT_EQ(shown.size(), c.word_count);
    for (size_t k = 0; k < c.word_count; ++k) EXPECT_EQ(shown[k], words[c.first_word + k].text);
    // Sentences end cards: no sentence mark except on a card's last word.
    for (size_t k = 0; k + 1 < c.word_count; ++k) {
      char last = words[c.first_word + k].text.back();
      EXPECT_TRUE(last != '.' && last != '!' && last != '?') << words[c.first_word + k].text;
    }
    EXPECT_GE(c.start, prev_end - 1e-9);  // no overlap
    EXPECT_GT(c.end, c.start);
    EXPECT_LE(c.start, words[c.first_word].start + 1e-9);
    EXPECT_GE(c.end, words[c.first_word + c.word_count - 1].end - 1e-9);
    prev_end = c.end;
    next_word += c.word_count;
  }
  EXPECT_EQ(next_word, words.size());
}

TEST(Captions, PreferClauseBoundariesAndMinimumDuration) {
  // Synthetic timings make the preference visible: "Second, I drink ..." must not put
  // "Second," at the end of a card that then continues.
  std::vector<WordTiming> w;
  double t = 0;
  for (std::string s : {"Well,", "this", "is", "quick,", "but", "that", "one", "is", "not."}) {
    w.push_back({s, t, t + 0.1, 0, 0});
    t += 0.12;
  }
  CaptionOptions o;
  o.max_chars_per_line = 12;
  o.min_duration = 0.5;
  auto cards = make_captions(w, o);
  ASSERT_GE(cards.size(), 2u);
  EXPECT_EQ(w[cards[0].first_word + cards[0].word_count - 1].text, "quick,");
  // At least min_duration, unless the next card starts sooner; then up until it does.
  for (size_t k = 0; k + 1 < cards.size(); ++k)
    EXPECT_NEAR(cards[k].end, std::min(cards[k].start + 0.5, cards[k + 1].start), 1e-9);
  EXPECT_GE(cards.back().end - cards.back().start, 0.5 - 1e-9);
  EXPECT_THROW(make_captions(w, CaptionOptions{2, 2, 8, 0.7, 0.8, 0.3}), speech::SpeechError);
}

TEST(Captions, SrtParsesBack) {
  auto cards = make_captions(script_words());
  std::string srt = to_srt(cards);
  auto back = parse_srt(srt);
  ASSERT_EQ(back.size(), cards.size());
  for (size_t i = 0; i < cards.size(); ++i) {
    EXPECT_EQ(back[i].index, static_cast<int>(i + 1));
    EXPECT_NEAR(back[i].start, cards[i].start, 0.0006);
    EXPECT_NEAR(back[i].end, cards[i].end, 0.0006);
    EXPECT_EQ(back[i].lines, cards[i].lines);
  }
  try {
    parse_srt("1\n00:00:01,000 -> 00:00:02,000\nhi\n");
    FAIL();
  } catch (const speech::SpeechError &e) {
    EXPECT_EQ(e.field(), "srt line 2");
  }
  EXPECT_EQ(srt_time(3725.0421), "01:02:05,042");
}

TEST(Captions, AssLoadsInLibassWithOneEventPerWord) {
  const auto &words = script_words();
  auto cards = make_captions(words);
  CaptionStyle style;
  style.highlight_color = {0, 200, 255, 255};
  std::string ass = to_ass(cards, words, style, 270, 480);
  EXPECT_NE(ass.find("{\\1c&H00FFC800&}"), std::string::npos);  // highlight, BGR order
  // Every event shows its word's card, lines as the cards broke them, one word highlighted.
  std::vector<std::string> shown;
  std::istringstream in(ass);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Dialogue:", 0) != 0) continue;
    std::string text = line.substr(line.find(",,0,0,0,,") + 9), plain;
    size_t tags = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '{') {
        i = text.find('}', i);
        ++tags;
      } else {
        plain += text[i];
      }
    }
    EXPECT_EQ(tags, 2u) << line;
    shown.push_back(plain);
  }
  size_t event = 0;
  for (const Caption &c : cards) {
    std::string expect;
    for (size_t l = 0; l < c.lines.size(); ++l) expect += (l ? "\\N" : "") + c.lines[l];
    for (size_t k = 0; k < c.word_count && event < shown.size(); ++k)
      EXPECT_EQ(shown[event++], expect);
  }
  EXPECT_EQ(event, shown.size());
  ASS_Library *lib = ass_library_init();
  ASS_Track *track = ass_read_memory(lib, ass.data(), ass.size(), nullptr);
  ASSERT_NE(track, nullptr);
  EXPECT_EQ(track->n_events, static_cast<int>(words.size()));
  EXPECT_EQ(track->PlayResX, 270);
  // Rendering at a word's midpoint draws something.
  ASS_Renderer *r = ass_renderer_init(lib);
  ass_set_frame_size(r, 270, 480);
  ass_set_fonts(r, nullptr, "DejaVu Sans", ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
  const WordTiming &w = words[5];
  int changed = 0;
  ASS_Image *img =
      ass_render_frame(r, track, static_cast<long long>((w.start + w.end) * 500), &changed);
  EXPECT_NE(img, nullptr);
  ass_renderer_done(r);
  ass_free_track(track);
  ass_library_done(lib);
}

TEST(Captions, StyleJsonIsTheRenderersWithErrorsNamingTheField) {
  CaptionStyle st = caption_style_from_json(
      R"({"position": "bottom", "margin_right": 0.18, "margin_vertical": 0.26,
          "max_chars_per_line": "auto", "break_at_sentences": false})");
  EXPECT_EQ(st.position, CaptionPosition::kBottom);
  EXPECT_DOUBLE_EQ(st.margin_right, 0.18);
  ASSERT_TRUE(st.margin_vertical);
  EXPECT_DOUBLE_EQ(*st.margin_vertical, 0.26);
  EXPECT_EQ(st.max_chars_per_line, 0);
  EXPECT_FALSE(st.break_at_sentences);
  // "auto": as many characters as fit between the margins (76% of 1080 at 0.62 em of 81 px).
  EXPECT_EQ(chars_per_line(st, 1080, 1920), 16);
  EXPECT_EQ(chars_per_line(CaptionStyle{}, 1080, 1920), 22);
  for (auto [json, field] : {std::pair{R"({"margin_left": 0.9})", "style.margin_left"},
                             std::pair{R"({"colour": "#FFFFFF"})", "style.colour"},
                             std::pair{R"({"color": "white"})", "style.color"}}) {
    try {
      caption_style_from_json(json);
      ADD_FAILURE() << json;
    } catch (const speech::SpeechError &e) {
      EXPECT_EQ(e.field(), field) << e.what();
    }
  }
}

#ifdef AUTOMUSE_HAVE_RENDER
TEST(Captions, RendererAcceptsTheSubtitleJson) {
  CaptionStyle style;
  style.position = CaptionPosition::kCenter;
  std::string subs = renderer_subtitles_json(script_words(), style);
  std::string timeline = R"({"canvas":{"width":270,"height":480,"fps":30},
    "scenes":[{"image":"a.png","duration":3}],
    "subtitles":)" + subs +
                         R"(, "output":{"path":"out.mp4"}})";
  auto parsed = render::parse_timeline(timeline, "/tmp");
  ASSERT_TRUE(parsed.timeline) << parsed.error->to_string();
  ASSERT_TRUE(parsed.timeline->subtitles);
  EXPECT_EQ(parsed.timeline->subtitles->words.size(), script_words().size());
  EXPECT_EQ(parsed.timeline->subtitles->style.position, render::SubtitlePosition::kCenter);
}
#endif
