// tests/youtube/logic_test.cpp — the youtube plugin's own logic in process: sentences and
// emoji, offline title/description/tags within YouTube's limits, safe-area subtitle style, scene
// planning and timing, the timeline, and settings errors that name their field.
#include <gtest/gtest.h>

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <regex>
#include <sstream>

#include "llm_steps.hpp"
#include "metadata_text.hpp"
#include "scene_plan.hpp"
#include "script_text.hpp"
#include "settings.hpp"
#include "subtitle_style.hpp"
#include "timeline_json.hpp"
#include "youtube_api.hpp"

using namespace youtube;
namespace json = boost::json;

namespace {

// Runs f and returns the am::error it throws (fails the test if it throws nothing else).
template <class F>
am::error error_of(F f) {
  try {
    f();
  } catch (const am::error &e) {
    return e;
  }
  ADD_FAILURE() << "expected am::error";
  return am::error(AM_OK, "");
}

}  // namespace

TEST(ScriptText, SentencesKeepByteRangesAndFoldEmojiOnlyOnes) {
  const std::string s = "One fish. Two fish! 🐟🐟\nRed fish? Blue…  done";
  auto out = split_sentences(s);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].text, "One fish.");
  EXPECT_EQ(out[1].text, "Two fish! 🐟🐟");  // the emoji line joined the sentence before it
  EXPECT_EQ(out[2].text, "Red fish?");
  EXPECT_EQ(out[3].text, "Blue…");
  EXPECT_EQ(out[4].text, "done");
  for (const auto &x : out) EXPECT_EQ(s.substr(x.begin, x.end - x.begin), x.text);
  EXPECT_EQ(out[0].words, 2u);
}

TEST(ScriptText, DecimalsAndUrlsDoNotEndSentences) {
  auto out = split_sentences("It weighs 3.5 kg. See https://example.com/a.b now.");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].text, "See https://example.com/a.b now.");
}

TEST(ScriptText, StripEmojiRemovesPictographsFlagsAndJoiners) {
  EXPECT_EQ(strip_emoji("Hi 👋🏽 there 👨‍👩‍👧 ❤️ 🇫🇷 ok"), "Hi there ok");
  EXPECT_EQ(strip_emoji("Café naïve 東京"), "Café naïve 東京");  // letters stay
  EXPECT_EQ(strip_emoji("🚀🚀"), "");
}

TEST(ScriptText, NormaliseDropsBomAndCrLf) {
  EXPECT_EQ(normalise_script("\xEF\xBB\xBF  a\r\nb \r\n"), "a\nb");
  EXPECT_EQ(normalise_script(" \n\t "), "");
}

TEST(ScriptText, TruncateKeepsWholeCodePoints) {
  EXPECT_EQ(truncate_utf8("aé", 2), "a");
  EXPECT_EQ(truncate_utf8("aé", 3), "aé");
}

// A run without an account takes its niche from the title: at most 80 bytes, whole characters.
TEST(Settings, NicheFromALongTitleKeepsWholeCharacters) {
  std::string cjk;
  for (int i = 0; i < 40; ++i) cjk += "\u4e2d";  // three bytes each: 80 falls inside one
  EXPECT_EQ(niche_from(cjk, ""), cjk.substr(0, 78));
  EXPECT_EQ(niche_from("line one\nline two", ""), "line one line two");
  EXPECT_EQ(niche_from("", ""), "general interest");
}

TEST(Metadata, TitleWithinHundredCharacters) {
  std::string long_title;
  for (int i = 0; i < 40; ++i) long_title += "word ";
  std::string t = clamp_title(long_title);
  EXPECT_LE(utf8_length(t), kMaxTitleChars);
  EXPECT_EQ(t.substr(t.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(clamp_title("  Short\ntitle "), "Short title");
  EXPECT_EQ(title_from_script("Octopuses have three hearts. More."), "Octopuses have three hearts");
}

TEST(Metadata, TagsAreKeyWordsByFrequency) {
  auto tags = key_words(
      "The octopus is clever. An octopus has three hearts; its hearts pump blue blood. "
      "Octopus arms taste. 🐙 What about that? See https://ocean.si.edu/octopus www.example.org");
  ASSERT_GE(tags.size(), 3u);
  EXPECT_EQ(tags[0], "octopus");
  EXPECT_EQ(tags[1], "hearts");
  for (const auto &t : tags) {
    EXPECT_NE(t, "about");  // stop word
    EXPECT_NE(t, "that");
    EXPECT_NE(t, "https");
    EXPECT_EQ(t.find("example"), std::string::npos);
    EXPECT_GE(t.size(), 4u);
  }
}

TEST(Metadata, DescriptionWithinFiveThousandBytes) {
  std::string script;
  while (script.size() < 9000) script += "Ocean <facts> are wonderful. ";
  auto d = description_from(script, {"ocean", "facts"});
  EXPECT_LE(d.size(), kMaxDescriptionBytes);
  EXPECT_EQ(d.find('<'), std::string::npos);  // YouTube refuses angle brackets
  EXPECT_NE(d.find("#ocean #facts #shorts"), std::string::npos);
}

TEST(Subtitles, TimelineSubtitlesStayInTheShortsSafeArea) {
  std::vector<Word> words;
  double t = 0;
  for (const char *w :
       {"An", "octopus", "has", "three", "hearts.", "🐙", "Its", "blood", "is", "blue", "🌊"}) {
    words.push_back(Word{w, t, t + 0.3});
    t += 0.35;
  }
  const json::object subs = timeline_subtitles(words, SubtitleStyle{}, 1080, 1920);
  // The words go as spoken, with their timings: the renderer owns what captions show (emoji
  // dropped; tests/render).
  const auto &shown = subs.at("words").as_array();
  ASSERT_EQ(shown.size(), words.size());
  EXPECT_EQ(shown[6].at("text"), "Its");
  EXPECT_DOUBLE_EQ(shown[6].at("start").to_number<double>(), 6 * 0.35);
  // The style keeps the text above the bottom quarter and clear of the buttons on the right.
  const auto &st = subs.at("style").as_object();
  EXPECT_EQ(st.at("position"), "bottom");
  EXPECT_GE(st.at("margin_vertical").to_number<double>(), 0.25);
  EXPECT_GE(st.at("margin_right").to_number<double>(), 0.15);
  EXPECT_GT(st.at("margin_right").to_number<double>(), st.at("margin_left").to_number<double>());
  EXPECT_EQ(st.at("size"), 77);  // 4% of 1920
  EXPECT_EQ(st.at("max_chars_per_line"), "auto");
  EXPECT_EQ(st.at("break_at_sentences"), true);
  EXPECT_EQ(st.at("highlight_color"), "#FFD400");
  // Landscape: classic title-safe margins and a larger size.
  const auto land = timeline_style(parse_subtitle_style("pink"), 1920, 1080);
  EXPECT_EQ(land.at("highlight_color"), "#FF4FA3");
  EXPECT_DOUBLE_EQ(land.at("margin_left").to_number<double>(), 0.08);
  EXPECT_EQ(land.at("size"), 65);  // 6% of 1080
}

TEST(Subtitles, StylePresetsAndJsonErrorsNameTheField) {
  EXPECT_EQ(parse_subtitle_style("green").highlight_color, "#3DDC84");
  EXPECT_EQ(parse_subtitle_style(R"({"size": 90, "color": "#FF0000"})").size, 90);
  auto e = error_of([] { parse_subtitle_style("neon"); });
  EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
  EXPECT_NE(std::string(e.what()).find("subtitle_style"), std::string::npos);
  e = error_of([] { parse_subtitle_style(R"({"colour": "#FFFFFF"})"); });
  EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos);
}

TEST(Scenes, SentencesGroupIntoScenesOfAFewSeconds) {
  std::string s;
  for (int i = 0; i < 10; ++i) s += "This is a sentence of eight words here. ";
  auto scenes = plan_scenes(split_sentences(s));
  // 10 sentences of ~2.8 s: one image per ~4 s of speech, not one per sentence.
  EXPECT_GE(scenes.size(), 4u);
  EXPECT_LE(scenes.size(), 7u);
  EXPECT_EQ(scenes.front().begin, 0u);
  EXPECT_EQ(scenes.back().end, s.size() - 1);
}

TEST(Scenes, TimingFollowsTheSpokenWords) {
  std::vector<Scene> scenes(3);
  scenes[0].begin = 0, scenes[0].end = 10;
  scenes[1].begin = 10, scenes[1].end = 20;
  scenes[2].begin = 20, scenes[2].end = 30;  // no word spoken in it: merged away
  std::vector<TimedWord> words = {{Word{"a", 0.2, 0.5}, 0}, {Word{"b", 3.1, 3.4}, 12}};
  time_scenes(scenes, words, 6.0);
  ASSERT_EQ(scenes.size(), 2u);
  EXPECT_DOUBLE_EQ(scenes[0].start, 0.0);
  EXPECT_DOUBLE_EQ(scenes[0].duration, 3.1);
  EXPECT_DOUBLE_EQ(scenes[1].duration, 6.0 - 3.1);
  EXPECT_EQ(scenes[1].end, 30u);
}

TEST(Timeline, ScenesAddUpToTheTotalAndCarryEverything) {
  TimelineInput in;
  in.width = 270, in.height = 480;
  for (double d : {1.234, 2.345, 3.0}) {
    Scene s;
    s.image = "/x.png";
    s.duration = d;
    in.scenes.push_back(s);
  }
  in.duration = 7.0;
  in.voice_wav = "/v.wav";
  in.music = "/m.wav";
  in.subtitles = timeline_subtitles({Word{"Hi.", 0.1, 0.4}}, SubtitleStyle{}, 270, 480);
  in.write_ass = "/s.ass";
  in.output_mp4 = "/o.mp4";
  in.thumbnail = "/t.jpg";
  auto v = json::parse(timeline_json(in)).as_object();
  double sum = 0;
  for (auto &s : v.at("scenes").as_array()) sum += s.at("duration").to_number<double>();
  EXPECT_NEAR(sum, 7.0, 1e-9);
  EXPECT_FALSE(v.at("scenes").as_array()[0].as_object().contains("transition"));
  EXPECT_EQ(v.at("audio").at("music").at("path"), "/m.wav");
  EXPECT_EQ(v.at("subtitles").at("write_ass"), "/s.ass");
  EXPECT_EQ(v.at("subtitles").at("words").as_array().size(), 1u);
  EXPECT_EQ(v.at("subtitles").at("style").at("size"), 19);  // 4% of 480
  EXPECT_EQ(v.at("output").at("thumbnail").at("path"), "/t.jpg");
  EXPECT_EQ(v.at("canvas").at("width"), 270);
}

TEST(Settings, AccountWithoutNicheIsRefusedNamingTheField) {
  auto e = error_of([] {
    parse_settings("generate",
                   R"({"account": {"id": "1", "nickname": "cats", "fields": {}}, "options": {}})",
                   "{}");
  });
  EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
  EXPECT_NE(std::string(e.what()).find("'niche' is required"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("cats"), std::string::npos);
}

TEST(Settings, AccountFieldsAndDefaults) {
  auto s = parse_settings("generate",
                          R"({"account": {"id": "7", "nickname": "sea", "fields": {"niche": "ocean",
                              "language": "de", "voice": "de+m3", "privacy": "unlisted",
                              "made_for_kids": true, "music_dir": "/m"}},
                              "options": {"script": "a.txt", "width": "270", "height": "480",
                              "speed-up": true}})",
                          R"({"max_duration": 30})");
  EXPECT_EQ(s.account.niche, "ocean");
  EXPECT_EQ(s.account.language, "de");
  EXPECT_EQ(s.account.privacy, "unlisted");
  EXPECT_TRUE(s.account.made_for_kids);
  EXPECT_EQ(s.account.music_dir, "/m");
  EXPECT_DOUBLE_EQ(s.account.max_duration, 30);
  EXPECT_EQ(s.options.width, 270);
  EXPECT_TRUE(s.options.speed_up);
  auto p =
      parse_settings("generate", R"({"account": null, "options": {"title": "Cats at night"}})", "");
  EXPECT_TRUE(p.account.pseudo);
  EXPECT_EQ(p.account.niche, "Cats at night");
  EXPECT_EQ(p.account.language, "en");
}

TEST(Settings, RunUploadsByDefaultAndGenerateKeepsTheOutbox) {
  const char *args = R"({"account": null, "options": {"title": "Cats"}})";
  EXPECT_EQ(parse_settings("run", args, "").options.publish, "youtube");
  EXPECT_EQ(parse_settings("run", R"({"account": null})", "").options.publish, "youtube");
  EXPECT_EQ(parse_settings("generate", args, "").options.publish, "outbox");
  EXPECT_EQ(parse_settings("run", R"({"account": null, "options": {"publish": "outbox"}})", "")
                .options.publish,
            "outbox");
}

TEST(Settings, BadOptionsNameTheOption) {
  auto msg = [](const char *args) {
    return std::string(error_of([&] { parse_settings("generate", args, "{}"); }).what());
  };
  EXPECT_NE(msg(R"({"options": {"colour": "x"}})").find("--colour"), std::string::npos);
  EXPECT_NE(msg(R"({"options": {"aspect": "4:3"}})").find("--aspect"), std::string::npos);
  EXPECT_NE(msg(R"({"options": {"width": "271", "height": "480"}})").find("--width"),
            std::string::npos);
  EXPECT_NE(msg(R"({"options": {"publish": "youtube"}})").find("generate"), std::string::npos);
  EXPECT_NE(msg(R"({"account": {"nickname": "x", "fields": {"niche": "n", "privacy": "secret"}}})")
                .find("privacy"),
            std::string::npos);
}

TEST(LlmSteps, ScriptLosesMarkdownLabelsAndStageDirections) {
  const std::string answer =
      "# Octopus facts\n\n**Narrator:** An octopus has *three* hearts. [Music swells]\n"
      "Scene 2: Its blood is blue (pause) because of copper.\n*smiles*\n- Follow for more! 🐙\n🌊\n";
  EXPECT_EQ(
      clean_script(answer),
      "An octopus has three hearts.\nIts blood is blue because of copper.\nFollow for more! 🐙");
  EXPECT_EQ(clean_script("[Intro music]\n(silence)"), "");
  EXPECT_EQ(clean_topic("Topic: \"Why octopuses have three hearts\"\nMore text"),
            "Why octopuses have three hearts");
}

TEST(LlmSteps, StructuredAnswersAreCheckedAndKeptWithinLimits) {
  std::string long_title(150, 'x');
  auto m = parse_metadata(
      R"({"title": ")" + long_title +
      R"(", "description": "Blue <blood> #ocean", "tags": ["#octopus", "", "sea life"]})");
  EXPECT_LE(utf8_length(m.title), kMaxTitleChars);
  EXPECT_EQ(m.description, "Blue blood #ocean");
  ASSERT_EQ(m.tags.size(), 2u);
  EXPECT_EQ(m.tags[0], "octopus");
  EXPECT_EQ(error_of([] { parse_metadata(R"({"description": "x"})"); }).status(), AM_ERROR);
  EXPECT_EQ(parse_prompts(R"({"prompts": ["a red reef", "a blue octopus"]})", 2).size(), 2u);
  auto e = error_of([] { parse_prompts(R"({"prompts": ["only one"]})", 2); });
  EXPECT_NE(std::string(e.what()).find("expected 2"), std::string::npos);
  // The shapes sent to the service are valid JSON that ask for exactly that many prompts.
  auto shape = json::parse(prompts_shape(3));
  EXPECT_EQ(shape.at("properties").at("prompts").at("minItems"), 3);
  EXPECT_EQ(shape.at("properties").at("prompts").at("maxItems"), 3);
  EXPECT_TRUE(json::parse(metadata_shape()).is_object());
  auto msgs = json::parse(script_messages(Account{}, "octopus hearts", 5)).as_array();
  EXPECT_NE(std::string(msgs[1].at("content").as_string()).find("exactly 5"), std::string::npos);
}

TEST(Scenes, OfflinePromptsAreKeyWordsNotTheSubtitleSentence) {
  EXPECT_EQ(offline_prompt("Two thirds of its neurons live in those arms, not in its head."),
            "Thirds neurons live");
  auto scenes = plan_scenes(split_sentences("Octopus blood is blue. 🐙"));
  ASSERT_EQ(scenes.size(), 1u);
  EXPECT_EQ(scenes[0].prompt, "Octopus blood blue");
}

TEST(YoutubeApi, RangeHeaderInBothDocumentedShapes) {
  EXPECT_EQ(next_byte_from_range("bytes=0-524287"), 524288);
  EXPECT_EQ(next_byte_from_range("0-262143"), 262144);
  EXPECT_EQ(next_byte_from_range(""), -1);
  EXPECT_EQ(next_byte_from_range("bytes=0-x"), -1);
}

// The server's numbers are read with range checks: the largest long long would overflow the
// "+ 1" (undefined behaviour), larger ones do not parse; neither is a position.
TEST(YoutubeApi, RangeHeaderNumbersOutOfRangeAreNoPosition) {
  EXPECT_EQ(next_byte_from_range("bytes=0-9223372036854775807"), -1);
  EXPECT_EQ(next_byte_from_range("bytes=0-9223372036854775806"), -1);
  EXPECT_EQ(next_byte_from_range("bytes=0-99999999999999999999"), -1);
  EXPECT_EQ(next_byte_from_range("bytes=0--5"), -1);
  EXPECT_EQ(next_byte_from_range("bytes=0-9223372036854775805"), 9223372036854775806);
}

TEST(YoutubeApi, UploadMetadataCarriesStatusAndDisclosure) {
  UploadRequest r;
  r.title = "Octopus facts";
  r.description = "Blue blood";
  r.tags = {"octopus", "ocean"};
  r.privacy = "unlisted";
  r.made_for_kids = true;
  auto v = json::parse(upload_metadata_json(r));
  EXPECT_EQ(v.at("snippet").at("title"), "Octopus facts");
  EXPECT_EQ(v.at("snippet").at("categoryId"), "22");
  EXPECT_EQ(v.at("snippet").at("tags").as_array().size(), 2u);
  EXPECT_EQ(v.at("status").at("privacyStatus"), "unlisted");
  EXPECT_EQ(v.at("status").at("selfDeclaredMadeForKids"), true);
  EXPECT_EQ(v.at("status").at("containsSyntheticMedia"), true);
}

TEST(YoutubeApi, ConfigChunksAreMultiplesOf256KiB) {
  auto c = parse_api_config(
      R"({"client_id": "id", "token_url": "http://127.0.0.1:9/token", "chunk_kib": 512})");
  EXPECT_EQ(c.client_id, "id");
  EXPECT_EQ(c.token_url, "http://127.0.0.1:9/token");
  EXPECT_EQ(c.chunk_bytes, 524288u);
  auto e = error_of([] { parse_api_config(R"({"chunk_kib": 300})"); });
  EXPECT_NE(std::string(e.what()).find("chunk_kib"), std::string::npos);
}
