// tests/render/ass_subtitles_test.cpp — the captions' one owner: safe-area margins, cards that
// close at sentence ends (an emoji before the stop too) and pauses, lines measured as drawn and
// never wider than the safe area (a URL breaks), emoji dropped, SRT read back, one highlighted
// event per word; the style's JSON errors; and subtitles.write_ass, which must be exactly the
// script that is burned in.
#include "automuse_render/ass_subtitles.h"

#include <ass/ass.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "render_fixture.h"
#include "support/files.hpp"

namespace automuse::render::test {
namespace {

// The Short's style as the youtube plugin hands it over (plugins/youtube/subtitle_style.cpp).
const char *kShortsStyle = R"({"font": "DejaVu Sans", "size": 77, "color": "#FFFFFF",
    "highlight_color": "#FFD400", "outline_color": "#000000", "outline": 6.4167, "shadow": 3.2083,
    "bold": true, "position": "bottom", "margin_left": 0.06, "margin_right": 0.18,
    "margin_vertical": 0.26, "max_chars_per_line": "auto", "max_lines": 2,
    "break_at_sentences": true})";

std::vector<Word> octopus_words() {
  std::vector<Word> words;
  double t = 0;
  for (const char *w : {"An", "octopus", "has", "three", "hearts.", "Its", "blood", "is", "blue"}) {
    words.push_back(Word{w, t, t + 0.3});
    t += 0.35;
  }
  return words;
}

std::vector<std::string> dialogue_lines(const std::string &ass) {
  std::vector<std::string> out;
  std::istringstream in(ass);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Dialogue:", 0) == 0) out.push_back(line);
  return out;
}

// The style's JSON form has one owner: what subtitle_style_json writes, parse_subtitle_style
// reads back to the same style, whatever it is parsed over.
TEST(AssSubtitles, StyleJsonReadsBackToTheSameStyle) {
  SubtitleStyle style;
  ASSERT_FALSE(parse_subtitle_style(kShortsStyle, style));
  style.position = SubtitlePosition::kTop;
  style.color = Color{1, 2, 3, 128};
  style.margin_vertical = 0.2;
  style.max_chars_per_line = 0;  // "auto"
  style.break_at_sentences = false;
  const std::string written = subtitle_style_json(style);

  SubtitleStyle back;
  back.max_words = 7;
  back.bold = !style.bold;
  auto e = parse_subtitle_style(written, back);
  ASSERT_FALSE(e) << e->to_string();
  EXPECT_EQ(subtitle_style_json(back), written);
  EXPECT_EQ(back.position, SubtitlePosition::kTop);
  EXPECT_EQ(back.color.a, 128);
  EXPECT_EQ(back.max_chars_per_line, 0);
  EXPECT_EQ(back.margin_vertical, 0.2);
  EXPECT_EQ(back.max_words, style.max_words);
  EXPECT_EQ(back.bold, style.bold);
  for (SubtitlePosition p :
       {SubtitlePosition::kCenter, SubtitlePosition::kLowerThird, SubtitlePosition::kBottom}) {
    style.position = p;
    ASSERT_FALSE(parse_subtitle_style(subtitle_style_json(style), back));
    EXPECT_EQ(back.position, p);
  }
}

TEST(AssSubtitles, SafeAreaStyleGivesMarginsSentenceCardsAndOneHighlightedEventPerWord) {
  SubtitleStyle style;
  auto e = parse_subtitle_style(kShortsStyle, style);
  ASSERT_FALSE(e) << e->to_string();
  const Canvas canvas{1080, 1920, 30, {}};
  const std::string ass = build_ass(octopus_words(), style, canvas);
  // Style: ... Alignment, MarginL, MarginR, MarginV, Encoding
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(ass, m, std::regex(R"(Style: Default,[^\n]*,2,(\d+),(\d+),(\d+),1)")))
      << ass;
  EXPECT_EQ(std::stoi(m[1]), 65);   // 6% of 1080
  EXPECT_EQ(std::stoi(m[2]), 194);  // 18%: clear of the buttons
  EXPECT_EQ(std::stoi(m[3]), 499);  // 26%: above the bottom quarter
  EXPECT_NE(ass.find("PlayResX: 1080"), std::string::npos);
  const auto events = dialogue_lines(ass);
  ASSERT_EQ(events.size(), 9u);  // one per word
  const std::string hl = "{\\1c&H0000D4FF&}", normal = "{\\1c&H00FFFFFF&}";
  for (const auto &line : events) {
    // Exactly one word highlighted, and a sentence end closes the card.
    EXPECT_EQ(line.find(hl), line.rfind(hl)) << line;
    if (line.find("Its") != std::string::npos) {
      EXPECT_EQ(line.find("hearts"), std::string::npos) << line;
    }
  }
  EXPECT_NE(events[1].find(hl + "octopus" + normal), std::string::npos) << events[1];
  EXPECT_NE(events[1].find("0:00:00.35,0:00:00.70"), std::string::npos) << events[1];

  // Without sentence breaks, "hearts." and "Its" share a card.
  style.break_at_sentences = false;
  bool shared = false;
  for (const auto &line : dialogue_lines(build_ass(octopus_words(), style, canvas)))
    shared = shared ||
             (line.find("hearts.") != std::string::npos && line.find("Its") != std::string::npos);
  EXPECT_TRUE(shared);
}

TEST(AssSubtitles, EscapedTextCannotRestyleOrBreakTheScript) {
  EXPECT_EQ(ass_escape("a{\\b1}c\\N\nd\r"), "a(/b1)c/N d ");
}

TEST(AssSubtitles, AutoLinesFitBetweenTheMarginsAsDrawn) {
  SubtitleStyle style;
  ASSERT_FALSE(parse_subtitle_style(kShortsStyle, style));
  const Canvas canvas{1080, 1920, 30, {}};
  std::vector<Word> words;
  for (int i = 0; i < 30; ++i)
    words.push_back(Word{"word" + std::to_string(i), i * 0.3, i * 0.3 + 0.25});
  const auto cards = subtitle_cards(words, style, canvas);
  size_t longest = 0;
  for (const SubtitleCard &card : cards) {
    EXPECT_LE(card.lines.size(), 2u);
    for (const auto &line : card.lines) longest = std::max(longest, line_text(line).size());
  }
  // 76% of 1080 px holds a little over 15 characters of bold 77 px DejaVu Sans.
  EXPECT_GE(longest, 12u);
  EXPECT_LE(longest, 18u);
  // An explicit limit counts characters too.
  style.max_chars_per_line = 6;
  for (const SubtitleCard &card : subtitle_cards(words, style, canvas))
    for (const auto &line : card.lines) EXPECT_LE(line_text(line).size(), 6u);
}

TEST(AssSubtitles, PausesCloseCardsAndCardsKeepTheirTimes) {
  const std::vector<Word> words = {{"one", 0.0, 0.3}, {"two", 0.35, 0.6}, {"three", 2.0, 2.4}};
  const Canvas canvas{270, 480, 30, {}};
  auto cards = subtitle_cards(words, SubtitleStyle{}, canvas);
  ASSERT_EQ(cards.size(), 2u);  // the 1.4 s pause starts a new card
  EXPECT_DOUBLE_EQ(cards[0].end, 0.6 + 0.25);
  EXPECT_DOUBLE_EQ(cards[1].end, 2.4 + 0.25);
  // At least min_duration when the next card leaves room; max_words closes a card.
  SubtitleStyle style;
  style.min_duration = 1.5;
  style.max_words = 1;
  cards = subtitle_cards(words, style, canvas);
  ASSERT_EQ(cards.size(), 3u);
  EXPECT_DOUBLE_EQ(cards[0].end, 0.35);  // the next card starts sooner
  EXPECT_DOUBLE_EQ(cards[2].end, 3.5);
  // The script shows each card from its start to its end, one event per word.
  const std::vector<SubtitleCard> given = {
      {0.0, 3.0, {{{0, "one", 0.0, 0.3}, {1, "two", 0.35, 0.6}}, {{2, "three", 2.0, 2.4}}}}};
  const auto events = dialogue_lines(build_ass(given, SubtitleStyle{}, canvas));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_NE(events[0].find("0:00:00.00,0:00:00.35"), std::string::npos) << events[0];
  EXPECT_NE(events[2].find("0:00:02.00,0:00:03.00"), std::string::npos) << events[2];
  EXPECT_NE(events[2].find("one two\\N{"), std::string::npos) << events[2];
}

TEST(Captions, EmojiAreDroppedWithTheirJoinersSelectorsSkinTonesKeycapsAndTags) {
  EXPECT_EQ(caption_text("Hi 👋🏽 there 👨‍👩‍👧 ❤️ 🇫🇷 ok"), "Hi there ok");
  EXPECT_EQ(caption_text("1️⃣st"), "st");  // keycap
  EXPECT_EQ(caption_text("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"),
            "");  // tag flag
  EXPECT_EQ(caption_text("⏰🚀"), "");
  EXPECT_EQ(caption_text("week ⏰."), "week.");  // the stop goes back to its word
  EXPECT_EQ(caption_text("friends 🎉!"), "friends!");
  EXPECT_EQ(caption_text("Café naïve 東京 #1 24/7"), "Café naïve 東京 #1 24/7");  // text stays
}

TEST(Captions, ASentenceEndsPastEmojiAndClosingQuotes) {
  for (const char *w : {"week.", "week ⏰.", "week.⏰", "done!\"", "what?)", "終わり。", "so…"})
    EXPECT_TRUE(ends_sentence(w)) << w;
  for (const char *w : {"week", "week⏰", "e.g", "one,", "⏰"}) EXPECT_FALSE(ends_sentence(w)) << w;
  // "my week ⏰." then "Next": two cards, whether the emoji came with the word or alone.
  const Canvas canvas{1080, 1920, 30, {}};
  for (const std::vector<Word> &words :
       {std::vector<Word>{{"my", 0, 0.2}, {"week ⏰.", 0.25, 0.5}, {"Next", 0.6, 0.9}},
        std::vector<Word>{{"my", 0, 0.2}, {"week.⏰", 0.25, 0.5}, {"Next", 0.6, 0.9}},
        std::vector<Word>{
            {"my", 0, 0.2}, {"week", 0.25, 0.5}, {"⏰.", 0.5, 0.5}, {"Next", 0.6, 0.9}}}) {
    const auto cards = subtitle_cards(words, SubtitleStyle{}, canvas);
    ASSERT_EQ(cards.size(), 2u) << words[1].text;
    EXPECT_EQ(line_text(cards[0].lines[0]).substr(0, 7), "my week") << words[1].text;
    EXPECT_EQ(line_text(cards[1].lines[0]), "Next");
  }
}

TEST(Captions, SrtReadsBackAndNamesTheBadLine) {
  const std::vector<Word> words = {{"Hello", 0.0, 0.4}, {"world.", 0.45, 0.9}, {"Again", 1.0, 1.4}};
  const auto cards = subtitle_cards(words, SubtitleStyle{}, Canvas{270, 480, 30, {}});
  const SrtParse back = parse_srt(build_srt(cards));
  ASSERT_FALSE(back.error);
  ASSERT_EQ(back.cues.size(), 2u);
  EXPECT_EQ(back.cues[0].lines, std::vector<std::string>{"Hello world."});
  EXPECT_NEAR(back.cues[0].end, cards[0].end, 0.0006);
  const SrtParse bad = parse_srt("1\n00:00:01,000 -> 00:00:02,000\nhi\n");
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->path, "srt line 2");
  EXPECT_EQ(srt_time(3725.0421), "01:02:05,042");
}

// Every event of the script drawn by libass as the renderer draws it: the ink's left and right.
std::vector<std::pair<int, int>> drawn_extents(const std::string &script, const Canvas &canvas) {
  std::vector<std::pair<int, int>> out;
  ASS_Library *lib = ass_library_init();
  ASS_Renderer *r = ass_renderer_init(lib);
  ass_set_frame_size(r, canvas.width, canvas.height);
  ass_set_storage_size(r, canvas.width, canvas.height);
  ass_set_fonts(r, nullptr, "DejaVu Sans", ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
  std::string text = script;
  ASS_Track *track = ass_read_memory(lib, text.data(), text.size(), nullptr);
  for (int i = 0; track && i < track->n_events; ++i) {
    const ASS_Event &e = track->events[i];
    int changed = 0, x0 = canvas.width, x1 = 0;
    for (ASS_Image *img = ass_render_frame(r, track, e.Start + e.Duration / 2, &changed); img;
         img = img->next)
      if (img->w > 0 && img->h > 0)
        x0 = std::min(x0, img->dst_x), x1 = std::max(x1, img->dst_x + img->w);
    out.emplace_back(x0, x1);
  }
  if (track) ass_free_track(track);
  ass_renderer_done(r);
  ass_library_done(lib);
  return out;
}

TEST(AssSubtitles, ALongLinkBreaksInsideTheSafeArea) {
  SubtitleStyle style;
  ASSERT_FALSE(parse_subtitle_style(R"({"size": 24, "position": "bottom", "margin_left": 0.06,
      "margin_right": 0.18, "margin_vertical": 0.26, "max_chars_per_line": "auto"})",
                                    style));
  const Canvas canvas{270, 480, 30, {}};
  const std::vector<Word> words = {
      {"Visit", 0.0, 0.3},
      {"https://www.example.com/guides/morning-routines?utm_source=shorts&ref=automuse", 0.35, 2.5},
      {"today.", 2.6, 3.0},
      {"Supercalifragilisticexpialidocious!", 3.2, 4.2}};
  const std::string ass = build_ass(words, style, canvas);
  const int left = 16, right = 270 - 49;  // 6% and 18% of 270
  const auto extents = drawn_extents(ass, canvas);
  ASSERT_FALSE(extents.empty());
  for (size_t i = 0; i < extents.size(); ++i) {
    EXPECT_GE(extents[i].first, left - 1) << dialogue_lines(ass)[i];
    EXPECT_LE(extents[i].second, right + 1) << dialogue_lines(ass)[i];
  }
  // The link breaks after its slashes, dots and marks (between letters only where none fits);
  // its pieces put together are the link again.
  std::string joined;
  size_t link_lines = 0;
  for (const SubtitleCard &card : subtitle_cards(words, style, canvas))
    for (const auto &line : card.lines)
      for (const CardPiece &piece : line) {
        if (piece.word != 1) continue;
        joined += piece.text;
        ++link_lines;
        const char last = piece.text.back();
        // Between letters only where no sensible point fits ("utm_source=shorts&").
        auto good = [](char c) { return c == '/' || c == '.' || c == '-' || c == '?' || c == '&'; };
        if (joined.size() < words[1].text.size() && !good(last)) {
          EXPECT_TRUE(std::none_of(piece.text.begin(), piece.text.end(), good)) << piece.text;
        }
      }
  EXPECT_EQ(joined, words[1].text);
  EXPECT_GE(link_lines, 3u);
}

class AssSubtitlesRender : public RenderFixture {};

TEST_F(AssSubtitlesRender, StyleErrorsNameTheField) {
  auto error = [&](const std::string &style) {
    ParseResult r = parse_timeline(R"({"scenes": [{"image": "a.png", "duration": 1}],
        "subtitles": {"words": [], "style": )" +
                                       style + R"(}, "output": {"path": "o.mp4"}})",
                                   dir_);
    return r.error ? r.error->to_string() : "accepted";
  };
  EXPECT_EQ(error(R"({"margin_left": 0.5})"),
            "subtitles.style.margin_left: must be between 0 and 0.45, got 0.5");
  EXPECT_EQ(error(R"({"max_chars_per_line": "wide"})"),
            "subtitles.style.max_chars_per_line: must be \"auto\" or a number of characters");
  EXPECT_EQ(error(R"({"break_at_sentences": 1})"),
            "subtitles.style.break_at_sentences: must be true or false, not a number");
  EXPECT_EQ(error(R"({"font": "A, B"})"),
            "subtitles.style.font: must be a font family name without commas");
  EXPECT_EQ(error(R"({"margin_vertical": 0.26, "position": "bottom"})"), "accepted");
}

TEST_F(AssSubtitlesRender, WriteAssIsExactlyTheScriptBurnedIn) {
  solid_png("grey.png", {110, 110, 110});
  const std::string words = R"([{"text": "HELLO", "start": 0.2, "end": 0.6},
      {"text": "WORLD.", "start": 0.6, "end": 1.0}, {"text": "AGAIN", "start": 1.1, "end": 1.6}])";
  auto timeline = [&](const std::string &subtitles, const std::string &out) {
    return R"({"canvas": {"width": 270, "height": 480},
        "scenes": [{"image": "grey.png", "duration": 2.0, "motion": "none"}],
        "subtitles": )" +
           subtitles + R"(, "output": {"path": ")" + out + R"(", "crf": 12}})";
  };
  const std::string style = R"({"size": 28, "margin_right": 0.18, "position": "bottom",
      "margin_vertical": 0.26, "max_chars_per_line": "auto"})";
  const Timeline t = parse(timeline(
      R"({"words": )" + words + R"(, "style": )" + style + R"(, "write_ass": "subs/burned.ass"})",
      "words.mp4"));
  std::filesystem::create_directories(at("subs"));
  RenderResult r = render(t, RenderOptions{}, nullptr, nullptr);
  ASSERT_TRUE(r.ok()) << r.error;
  // The file is the builder's script for these words and this style, and nothing else was
  // left beside it.
  const std::string written = testing::read_file(at("subs/burned.ass"));
  EXPECT_EQ(written, build_ass(t.subtitles->words, t.subtitles->style, t.canvas));
  EXPECT_NE(written.find("{\\1c&H0000D6FF&}HELLO{\\1c&H00FFFFFF&}"), std::string::npos);
  size_t files = 0;
  for (const auto &entry : std::filesystem::directory_iterator(at("subs"))) (void)entry, ++files;
  EXPECT_EQ(files, 1u);
  // Burning the written file as it is gives the same video.
  ASSERT_TRUE(run(timeline(R"({"ass": "subs/burned.ass"})", "file.mp4")).ok());
  auto a = decode_frames(at("words.mp4")), b = decode_frames(at("file.mp4"));
  ASSERT_EQ(a.size(), 60u);
  ASSERT_EQ(b.size(), 60u);
  for (size_t i : {0u, 12u, 24u, 40u, 59u})
    EXPECT_LT(mean_abs_diff(a[i], b[i], 0, 0, 270, 480), 0.01) << "frame " << i;
  // The subtitles really are in it.
  ASSERT_TRUE(run(R"({"canvas": {"width": 270, "height": 480},
        "scenes": [{"image": "grey.png", "duration": 2.0, "motion": "none"}],
        "output": {"path": "plain.mp4", "crf": 12}})")
                  .ok());
  auto plain = decode_frames(at("plain.mp4"));
  EXPECT_GT(mean_abs_diff(plain[12], a[12], 0, 240, 270, 380), 4.0);

  // A folder that does not exist: a clear error naming the field, and no video.
  RenderResult bad =
      run(timeline(R"({"words": )" + words + R"(, "write_ass": "gone/x.ass"})", "never.mp4"));
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("write_ass: cannot write " + at("gone/x.ass").string()),
            std::string::npos)
      << bad.error;
  EXPECT_FALSE(std::filesystem::exists(at("never.mp4")));
}

}  // namespace
}  // namespace automuse::render::test
