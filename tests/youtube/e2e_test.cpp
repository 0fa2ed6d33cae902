// tests/youtube/e2e_test.cpp — the youtube plugin through automuse-host as a user runs it:
// `--plugin youtube generate --script ... --publish outbox` on a small canvas, with real
// espeak-ng, title cards and FFmpeg; the MP4 is read back with libavformat and metadata.json
// checked; the outbox's subtitles.ass is the renderer's own script. Bad input (unreadable script,
// unknown voice, missing music folder, account without niche, a script too long for a Short) must
// fail clearly, naming the path or field.
#include <automuse_render/ass_subtitles.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

extern "C" {
#include <libavformat/avformat.h>
}

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/host_process.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

using Result = automuse::testing::HostResult;

struct MediaFacts {
  double duration = 0;
  int width = 0, height = 0;
  bool has_audio = false;
  int audio_channels = 0;
};

MediaFacts probe(const std::string &path) {
  MediaFacts f;
  AVFormatContext *ctx = nullptr;
  if (avformat_open_input(&ctx, path.c_str(), nullptr, nullptr) < 0) return f;
  if (avformat_find_stream_info(ctx, nullptr) >= 0) {
    f.duration = ctx->duration > 0 ? static_cast<double>(ctx->duration) / AV_TIME_BASE : 0;
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
      const AVCodecParameters *p = ctx->streams[i]->codecpar;
      if (p->codec_type == AVMEDIA_TYPE_VIDEO && f.width == 0)
        f.width = p->width, f.height = p->height;
      if (p->codec_type == AVMEDIA_TYPE_AUDIO)
        f.has_audio = true, f.audio_channels = p->ch_layout.nb_channels;
    }
  }
  avformat_close_input(&ctx);
  return f;
}

class YoutubeE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "config" / "automuse");
    write_config("{}");
  }
  void write_config(const std::string &youtube_section) {
    std::ofstream(root_ / "config" / "automuse" / "automuse.json")
        << R"({"plugins": {"youtube": )" << youtube_section << "}}";
  }
  fs::path write_file(const std::string &name, const std::string &text) {
    fs::path p = root_ / name;
    std::ofstream(p) << text;
    return p;
  }

  Result host(const std::string &args) {
    return automuse::testing::run_in_sandbox(
        root_, std::string(HOST_EXE) + " --plugin-dir " + PLUGIN_DIR + " " + args,
        {"XDG_CACHE_HOME=" + (root_ / "cache").string()});
  }

  // A small, fast Short: 270x480 into root_/outbox.
  Result generate(const std::string &script, const std::string &extra = "") {
    return host("--plugin youtube generate --script '" + script +
                "' --title 'Octopus facts' --publish outbox --width 270 --height 480 --outbox '" +
                (root_ / "outbox").string() + "' " + extra);
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

const char *kShortScript =
    "An octopus has three hearts. 🐙 Its blood is blue. See https://ocean.si.edu for more!";

}  // namespace

TEST_F(YoutubeE2E, GeneratesAShortIntoTheOutbox) {
  auto script = write_file("script.txt", kShortScript);
  auto r = generate(script.string());
  ASSERT_EQ(r.code, 0) << r.err;
  auto result = json::parse(r.out).as_object();
  const std::string folder(result.at("outbox").as_string());
  EXPECT_TRUE(fs::path(folder).string().rfind((root_ / "outbox").string(), 0) == 0) << folder;
  for (const auto &entry : fs::directory_iterator(fs::path(folder).parent_path()))
    EXPECT_EQ(entry.path().string().find(".part"), std::string::npos)
        << "left behind: " << entry.path();

  // The video, read back.
  const std::string video = folder + "/video.mp4";
  ASSERT_TRUE(fs::exists(video));
  MediaFacts mp4 = probe(video);
  EXPECT_EQ(mp4.width, 270);
  EXPECT_EQ(mp4.height, 480);
  EXPECT_TRUE(mp4.has_audio);
  EXPECT_GT(mp4.duration, 3.0);
  EXPECT_LT(mp4.duration, 15.0);
  MediaFacts thumb = probe(folder + "/thumbnail.jpg");
  EXPECT_EQ(thumb.width, 270);

  // metadata.json describes what was made.
  std::ifstream in(folder + "/metadata.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto meta = json::parse(text).as_object();
  EXPECT_EQ(meta.at("title"), "Octopus facts");
  EXPECT_NEAR(meta.at("duration").to_number<double>(), mp4.duration, 0.25);
  EXPECT_EQ(meta.at("script"), kShortScript);
  const std::string description(meta.at("description").as_string());
  EXPECT_NE(description.find("three hearts"), std::string::npos);
  EXPECT_NE(description.find("#shorts"), std::string::npos);
  auto tags = meta.at("tags").as_array();
  ASSERT_FALSE(tags.empty());
  EXPECT_NE(std::find(tags.begin(), tags.end(), json::value("octopus")), tags.end()) << text;
  // Word timings from espeak-ng: increasing, within the speech, emoji not spoken.
  auto words = meta.at("word_timings").as_array();
  ASSERT_GE(words.size(), 10u);
  double last = -1;
  for (auto &w : words) {
    double s = w.at("start").to_number<double>();
    EXPECT_GE(s, last);
    last = s;
    EXPECT_EQ(std::string(w.at("text").as_string()).find("\xF0\x9F\x90\x99"), std::string::npos);
  }
  EXPECT_LE(last, meta.at("speech_duration").to_number<double>());
  auto providers = meta.at("providers").as_object();
  EXPECT_EQ(providers.at("speech"), "espeak");
  EXPECT_EQ(providers.at("images").as_array().at(0), "cards");
  EXPECT_TRUE(providers.at("llm").is_null());
  bool offline_note = false;
  for (auto &n : meta.at("notes").as_array())
    offline_note = offline_note || std::string(n.as_string()).find("offline") != std::string::npos;
  EXPECT_TRUE(offline_note) << text;
  // The render's report, with the encoder that wrote the video and every encoder tried.
  const auto &render = meta.at("render").as_object();
  EXPECT_EQ(render.at("encoder"), "libx264");
  ASSERT_EQ(render.at("encoder_candidates").as_array().size(), 1u) << text;
  EXPECT_EQ(render.at("encoder_candidates").as_array()[0].at("opened"), true);
  // Steps with durations; speech and images overlapped in time (when_all).
  std::map<std::string, json::object> steps;
  for (auto &s : meta.at("steps").as_array())
    steps[std::string(s.at("name").as_string())] = s.as_object();
  for (const char *name : {"script", "metadata", "speech", "images", "subtitles", "render"}) {
    ASSERT_TRUE(steps.count(name)) << name << " missing in " << text;
    EXPECT_GE(steps[name].at("seconds").to_number<double>(), 0.0) << name;
  }
  auto span = [&](const char *n) {
    double a = steps[n].at("started_at").to_number<double>();
    return std::pair(a, a + steps[n].at("seconds").to_number<double>());
  };
  auto [sa, se] = span("speech");
  auto [ia, ie] = span("images");
  EXPECT_LT(sa, ie);
  EXPECT_LT(ia, se);
  EXPECT_GE(span("render").first + 0.002, std::max(se, ie));  // times are rounded to ms

  // The subtitles file in the outbox has no emoji and sits in the safe area.
  std::ifstream ass_in(folder + "/subtitles.ass");
  std::string ass((std::istreambuf_iterator<char>(ass_in)), {});
  EXPECT_NE(ass.find("PlayResX: 270"), std::string::npos);
  EXPECT_EQ(ass.find("\xF0\x9F"), std::string::npos);
}

TEST_F(YoutubeE2E, ConfiguredEncoderIsUsedAndEveryCandidateIsInTheMetadata) {
  std::ofstream(root_ / "config" / "automuse" / "automuse.json")
      << R"({"render": {"encoder": "auto"}, "plugins": {"youtube": {}}})";
  auto r = generate(write_file("script.txt", "An octopus has three hearts.").string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string folder(json::parse(r.out).at("outbox").as_string());
  std::ifstream in(folder + "/metadata.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const auto render = json::parse(text).at("render").as_object();
  const auto &tried = render.at("encoder_candidates").as_array();
  ASSERT_FALSE(tried.empty()) << text;
  EXPECT_EQ(tried[0].at("encoder"), "h264_nvenc") << text;  // auto's order: the setting arrived
  EXPECT_EQ(render.at("encoder"), tried.back().at("encoder"));
  EXPECT_EQ(tried.back().at("opened"), true);
  for (size_t i = 0; i + 1 < tried.size(); ++i)
    EXPECT_FALSE(tried[i].at("reason").as_string().empty()) << text;
}

TEST_F(YoutubeE2E, OutboxSubtitlesAreTheScriptTheRendererBurnedIn) {
  auto script = write_file("script.txt", kShortScript);
  auto r = generate(script.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string folder(json::parse(r.out).as_object().at("outbox").as_string());
  std::ifstream ass_in(folder + "/subtitles.ass");
  const std::string ass((std::istreambuf_iterator<char>(ass_in)), {});
  ASSERT_FALSE(ass.empty());
  // metadata.json keeps the timeline's "subtitles" object the renderer was given; the
  // renderer's one builder makes exactly the outbox's file from it.
  std::ifstream meta_in(folder + "/metadata.json");
  const auto meta = json::parse(std::string((std::istreambuf_iterator<char>(meta_in)), {}));
  const json::object &subs = meta.at("subtitles").as_object();
  EXPECT_FALSE(subs.contains("write_ass"));
  const std::string timeline = R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "x.png", "duration": 1}], "output": {"path": "x.mp4"},
      "subtitles": )" + json::serialize(subs) +
                               "}";
  auto parsed = automuse::render::parse_timeline(timeline, root_);
  ASSERT_TRUE(parsed.timeline) << parsed.error->to_string();
  const auto &t = *parsed.timeline;
  EXPECT_EQ(ass, automuse::render::build_ass(t.subtitles->words, t.subtitles->style, t.canvas));
  // Every shown word (or piece of a word broken to fit a line: the link) is in it,
  // highlighted (the default yellow) in its own event; no emoji.
  ASSERT_GE(t.subtitles->words.size(), 10u);
  std::vector<std::string> shown(t.subtitles->words.size());
  for (const auto &card :
       automuse::render::subtitle_cards(t.subtitles->words, t.subtitles->style, t.canvas))
    for (const auto &line : card.lines)
      for (const auto &piece : line) {
        shown[piece.word] += piece.text;
        EXPECT_NE(ass.find("{\\1c&H0000D4FF&}" + piece.text + "{\\1c&H00FFFFFF&}"),
                  std::string::npos)
            << piece.text;
      }
  for (size_t i = 0; i < shown.size(); ++i)
    EXPECT_EQ(shown[i], automuse::render::caption_text(t.subtitles->words[i].text));
  EXPECT_EQ(ass.find("\xF0\x9F"), std::string::npos);
  EXPECT_NE(ass.find("PlayResX: 270"), std::string::npos);
}

TEST_F(YoutubeE2E, RecordsHistory) {
  auto script = write_file("script.txt", kShortScript);
  auto r = generate(script.string());
  ASSERT_EQ(r.code, 0) << r.err;
  auto result = json::parse(r.out).as_object();
  if (!result.contains("history_id")) GTEST_SKIP() << "this host has no store service yet";
  auto h = host("history --plugin youtube --json");
  ASSERT_EQ(h.code, 0) << h.err;
  auto list = json::parse(h.out).as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("title"), "Octopus facts");
  EXPECT_EQ(list[0].at("status"), "generated");
}

TEST_F(YoutubeE2E, UnreadableScriptNamesThePath) {
  auto r = generate((root_ / "no-such-script.txt").string());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("no-such-script.txt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("script"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "outbox")) << "nothing half-written";
}

TEST_F(YoutubeE2E, MissingMusicFolderNamesItAndTheField) {
  write_config(R"({"music_dir": ")" + (root_ / "no-music-here").string() + R"("})");
  auto script = write_file("script.txt", kShortScript);
  auto r = generate(script.string());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("no-music-here"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("music_dir"), std::string::npos) << r.err;
}

TEST_F(YoutubeE2E, AccountFieldsAreUsedAndBadOnesNamed) {
  // Unknown voice: the speech service refuses it, and the message names the field.
  auto add = host(
      "accounts add --plugin youtube --nickname robot --set niche=ocean --set "
      "voice=zz-nonexistent");
  ASSERT_EQ(add.code, 0) << add.err;
  auto script = write_file("script.txt", kShortScript);
  auto r = generate(script.string(), "--account robot");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("voice"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("zz-nonexistent"), std::string::npos) << r.err;

  // A missing music folder on the account names the account's field.
  add = host("accounts add --plugin youtube --nickname music --set niche=ocean --set music_dir=" +
             (root_ / "gone").string());
  ASSERT_EQ(add.code, 0) << add.err;
  r = generate(script.string(), "--account music");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("account field 'music_dir'"), std::string::npos) << r.err;
}

// The original's .mp accounts name their language ("German"): imported, they generate as
// they are, in German. A language nobody knows fails naming the account and the value.
TEST_F(YoutubeE2E, ImportedAccountWithALanguageNameGenerates) {
  auto imported = host(std::string("import mpv2 '") + IMPORT_SAMPLES + "/mp'");
  ASSERT_EQ(imported.code, 0) << imported.err;
  auto script = write_file("script.txt", "Ein Oktopus hat drei Herzen. Sein Blut ist blau.");
  auto r = generate(script.string(), "--account 'space facts'");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string folder(json::parse(r.out).at("outbox").as_string());
  MediaFacts mp4 = probe(folder + "/video.mp4");
  EXPECT_TRUE(mp4.has_audio);
  EXPECT_GT(mp4.duration, 2.0);

  auto add = host(
      "accounts add --plugin youtube --nickname klingon --set niche=space --set "
      "language=Klingonish");
  ASSERT_EQ(add.code, 0) << add.err;
  r = generate(script.string(), "--account klingon");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("klingon"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'Klingonish'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Deutsch"), std::string::npos) << r.err;  // the hint
}

TEST_F(YoutubeE2E, AccountWithoutNicheIsRefused) {
  // The store refuses an account without the required niche...
  auto add = host("accounts add --plugin youtube --nickname nameless --set language=en");
  EXPECT_NE(add.code, 0);
  EXPECT_NE(add.err.find("niche"), std::string::npos) << add.err;
  // ...and the plugin refuses one whose niche was emptied later.
  add = host("accounts add --plugin youtube --nickname blank --set niche=x");
  ASSERT_EQ(add.code, 0) << add.err;
  auto set = host("accounts set blank --plugin youtube --set 'niche= '");
  if (set.code != 0) GTEST_SKIP() << "the store refuses a blank niche itself: " << set.err;
  auto script = write_file("script.txt", kShortScript);
  auto r = generate(script.string(), "--account blank");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("niche"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("blank"), std::string::npos) << r.err;
}

TEST_F(YoutubeE2E, TooLongScriptIsRefusedWithItsDurationUnlessSpedUp) {
  write_config(R"({"max_duration": 5})");
  // About 6.5 s of speech at espeak-ng's 175 words per minute.
  auto script = write_file("long.txt",
                           "Octopuses are clever animals that open jars and escape tanks. They "
                           "change colour quickly.");
  auto r = generate(script.string());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("longer than the maximum of 5.0 s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--speed-up"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "outbox"));

  r = generate(script.string(), "--speed-up");
  if (r.code != 0) {
    // Needed more than 1.25x: the message says so.
    EXPECT_NE(r.err.find("1.25x"), std::string::npos) << r.err;
    return;
  }
  auto meta_path = std::string(json::parse(r.out).at("metadata").as_string());
  std::ifstream in(meta_path);
  auto meta = json::parse(std::string((std::istreambuf_iterator<char>(in)), {})).as_object();
  EXPECT_LE(meta.at("speech_duration").to_number<double>(), 5.0);
  EXPECT_GT(meta.at("speed").to_number<double>(), 1.0);
  EXPECT_LE(meta.at("speed").to_number<double>(), 1.25);
}
