// `import mpv2` on sample .mp folders: both date formats, fork-specific (unknown) fields kept,
// original ids kept, a second run changes nothing, malformed files reported with file and
// JSON path. The store's tests run on both of its backends (SQLite and PostgreSQL).
#include "import/mpv2_import.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <ctime>

#include "import/mpv2_dates.hpp"
#include "speech/synthesizer.hpp"
#include "support/store_backends.hpp"
#include "support/temp_folder.hpp"

namespace automuse::import {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::TempFolder;

const fs::path kSamples = AUTOMUSE_IMPORT_SAMPLES;

// The original wrote naive local times; pin the zone so the expected instants are exact.
class Mpv2Import : public automuse::testing::BackendTest {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
  TempFolder &tmp_ = tmp;
};

TEST(Mpv2Dates, ReadsBothDateFormats) {
  setenv("TZ", "UTC", 1);
  tzset();
  EXPECT_EQ(parse_mpv2_date("2024-03-05 14:07:09"), 1709647629);
  EXPECT_EQ(parse_mpv2_date("03/07/2024, 18:30:00"), 1709836200);
  EXPECT_FALSE(parse_mpv2_date("2024-03-05"));
  EXPECT_FALSE(parse_mpv2_date("2024-03-05 14:07:09 extra"));
  EXPECT_FALSE(parse_mpv2_date("yesterday"));
}

TEST_P(Mpv2Import, ImportsSamplesKeepingIdsAndUnknownFields) {
  store::Store store(location());
  ImportReport r = import_mpv2(store, kSamples / "mp");
  EXPECT_TRUE(r.problems.empty()) << r.to_text();
  EXPECT_EQ(r.youtube_accounts.imported, 2);
  EXPECT_EQ(r.twitter_accounts.imported, 1);
  EXPECT_EQ(r.videos.imported, 2);
  EXPECT_EQ(r.posts.imported, 2);
  EXPECT_EQ(r.products.imported, 2);

  auto cooking = store.get_account("6f1c2a3e-8a0b-4c55-9d1e-0a1b2c3d4e5f");
  ASSERT_TRUE(cooking);
  EXPECT_EQ(cooking->plugin_id, "youtube");
  EXPECT_EQ(cooking->nickname, "cooking");
  EXPECT_EQ(cooking->fields.at("niche"), "quick pasta recipes");
  EXPECT_EQ(cooking->fields.at("language"), "English");
  EXPECT_EQ(cooking->created_at, 1709647629);  // its first video's date
  EXPECT_EQ(cooking->extra.at("firefox_profile"), "/home/me/.mozilla/firefox/abcd.default-release");
  auto space = store.get_account("0b9e7d44-3c21-4f0a-8e6b-7f5a4c3b2a10");
  ASSERT_TRUE(space);
  EXPECT_EQ(space->extra.at("use_g4f"), true);  // a fork's field, kept
  EXPECT_EQ(space->extra.at("worker_url"), "https://worker.example.org/render");

  auto videos = store.list_history({.plugin_id = "youtube"});
  ASSERT_EQ(videos.size(), 2u);
  EXPECT_EQ(videos[1].title, "5-minute carbonara");
  EXPECT_EQ(videos[1].created_at, 1709647629);  // 2024-03-05 14:07:09
  EXPECT_EQ(videos[1].remote_id, "dQw4w9WgXcQ");
  EXPECT_EQ(videos[1].status, "published");
  EXPECT_EQ(videos[1].account_id, cooking->id);
  EXPECT_EQ(videos[0].remote_id, "abc123XYZ_0");
  EXPECT_EQ(videos[0].extra.at("thumbnail"), "/tmp/thumb.png");

  auto posts = store.list_history({.plugin_id = "twitter"});
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].body, "Noise-cancelling headphones at half price today!");
  EXPECT_EQ(posts[0].created_at, 1709836200);  // 03/07/2024, 18:30:00
  EXPECT_EQ(posts[1].created_at, 1704067199);  // 12/31/2023, 23:59:59
  EXPECT_EQ(posts[1].extra.at("likes"), 42);
  EXPECT_EQ(store.get_account("d2c1b0a9-1111-4222-8333-944455556666")->fields.at("topic"),
            "tech deals");

  auto p1 = store.get_product("a1b2c3d4-0000-4000-8000-000000000001");
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->asin, "B08N5WRWNW");
  EXPECT_EQ(p1->share_plugin_id, "twitter");
  EXPECT_EQ(p1->share_account_id, "d2c1b0a9-1111-4222-8333-944455556666");
  auto p2 = store.get_product("a1b2c3d4-0000-4000-8000-000000000002");
  ASSERT_TRUE(p2);
  EXPECT_FALSE(p2->asin);  // a short link names no ASIN
  EXPECT_EQ(p2->extra.at("campaign"), "spring");

  // The Firefox notice is said exactly once, though three accounts had profiles.
  int firefox_notes = 0;
  for (const std::string &n : r.notes) firefox_notes += n.find("Firefox") != std::string::npos;
  EXPECT_EQ(firefox_notes, 1);
  std::string text = r.to_text();
  EXPECT_NE(text.find("YouTube: 2 accounts imported; 2 videos imported"), std::string::npos)
      << text;
  EXPECT_EQ(r.to_json().at("products").at("imported"), 2);
}

TEST_P(Mpv2Import, SecondRunChangesNothing) {
  store::Store store(location());
  import_mpv2(store, kSamples / "mp");
  auto accounts_before = store.list_accounts().size();
  auto history_before = store.count_history();
  ImportReport again = import_mpv2(store, kSamples / "mp");
  EXPECT_EQ(again.youtube_accounts.imported, 0);
  EXPECT_EQ(again.youtube_accounts.already, 2);
  EXPECT_EQ(again.videos.imported, 0);
  EXPECT_EQ(again.videos.already, 2);
  EXPECT_EQ(again.posts.already, 2);
  EXPECT_EQ(again.products.already, 2);
  EXPECT_EQ(store.list_accounts().size(), accounts_before);
  EXPECT_EQ(store.count_history(), history_before);
  EXPECT_EQ(store.list_products().size(), 2u);
  EXPECT_NE(again.to_text().find("0 videos imported, 2 already there"), std::string::npos)
      << again.to_text();
}

TEST_P(Mpv2Import, NewItemsInAKnownAccountAreAdded) {
  fs::path mp = tmp_ / "project" / ".mp";
  fs::create_directories(mp);
  fs::copy_file(kSamples / "mp" / "twitter.json", mp / "twitter.json");
  store::Store store(location());
  import_mpv2(store, tmp_ / "project");  // the folder that holds .mp works too
  // The original appended a post after the first import.
  std::string text = automuse::testing::read_file(mp / "twitter.json");
  std::string marker = R"("posts": [)";
  text.insert(text.find(marker) + marker.size(),
              R"({"content": "a new one", "date": "04/01/2024, 08:00:00"},)");
  automuse::testing::write_file(mp / "twitter.json", text);
  ImportReport r = import_mpv2(store, tmp_ / "project");
  EXPECT_EQ(r.twitter_accounts.already, 1);
  EXPECT_EQ(r.posts.imported, 1);
  EXPECT_EQ(r.posts.already, 2);
  EXPECT_EQ(store.count_history(), 3);
}

TEST_P(Mpv2Import, MalformedFilesAreReportedWithFileAndPath) {
  store::Store store(location());
  ImportReport r = import_mpv2(store, kSamples / "malformed");
  std::vector<std::string> got;
  for (const ImportProblem &p : r.problems) got.push_back(p.file + " " + p.json_path);
  std::vector<std::string> want = {
      "youtube.json line 3, column 42",           "twitter.json $.accounts[0]",
      "twitter.json $.accounts[1].nickname",      "twitter.json $.accounts[1]",
      "twitter.json $.accounts[2].posts[1].date", "twitter.json $.accounts[2].posts[2]",
      "twitter.json $.accounts[3].posts",
  };
  EXPECT_EQ(got, want) << r.to_text();
  EXPECT_NE(r.problems[0].message.find("not valid JSON"), std::string::npos);
  EXPECT_NE(r.problems[4].message.find("\"yesterday\" is not a date"), std::string::npos);

  // What could be read was imported; the rest was not.
  EXPECT_EQ(r.youtube_accounts.imported, 0);
  EXPECT_EQ(r.twitter_accounts.imported, 2);
  EXPECT_EQ(r.posts.imported, 2);
  EXPECT_EQ(r.products.imported, 0);  // afm.json holds null, as the original could write
  auto ok = store.get_account("e0000000-0000-4000-8000-000000000002");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->extra.at("topic"), 7);  // wrongly typed, kept rather than dropped
  auto bad_date = store.list_history({.account_id = ok->id});
  ASSERT_EQ(bad_date.size(), 2u);
  bool kept = false;
  for (const auto &h : bad_date)
    kept = kept || (h.extra.contains("date") && h.extra.at("date") == "yesterday");
  EXPECT_TRUE(kept);
  EXPECT_NE(r.to_text().find("Could not read 7 things"), std::string::npos) << r.to_text();
}

TEST_P(Mpv2Import, NicknameTakenByAnotherAccountIsReported) {
  store::Store store(location());
  store.add_account({"youtube", "cooking", {}, {}, {}, {}, {}}, nullptr);
  ImportReport r = import_mpv2(store, kSamples / "mp");
  ASSERT_EQ(r.problems.size(), 1u) << r.to_text();
  EXPECT_EQ(r.problems[0].json_path, "$.accounts[0]");
  EXPECT_NE(r.problems[0].message.find("already exists"), std::string::npos);
  EXPECT_EQ(r.youtube_accounts.imported, 1);
  EXPECT_EQ(r.videos.imported, 0);  // its videos are skipped with it
}

TEST_P(Mpv2Import, RefusesFoldersWithoutItsFiles) {
  store::Store store(location());
  EXPECT_THROW(import_mpv2(store, tmp_ / "missing"), ImportError);
  fs::create_directories(tmp_ / "empty");
  try {
    import_mpv2(store, tmp_ / "empty");
    FAIL();
  } catch (const ImportError &e) {
    EXPECT_NE(std::string(e.what()).find("found none of youtube.json"), std::string::npos);
  }
}

// The original stores languages by name ("German"); an imported account speaks as it is.
TEST_P(Mpv2Import, ImportedAccountInGermanSpeaksGerman) {
  store::Store store(location());
  ImportReport r = import_mpv2(store, kSamples / "mp");
  ASSERT_TRUE(r.problems.empty()) << r.to_text();
  auto space = store.resolve_account("space facts", "youtube");
  ASSERT_EQ(space.fields.at("language"), "German");  // kept as written

  speech::SynthesisOptions options;
  options.language = std::string(space.fields.at("language").as_string());
  options.parallel = 1;
  speech::Speech german = speech::synthesize_script("Die Sterne leuchten heute Nacht.", options);
  EXPECT_GT(german.audio.duration(), 1.0);
  ASSERT_EQ(german.words.size(), 5u);
  EXPECT_EQ(german.words.front().text, "Die");
  EXPECT_EQ(speech::resolve_voice(options).voice, "gmw/de");
}

AUTOMUSE_ON_BOTH_BACKENDS(Mpv2Import);

TEST(Mpv2Links, AsinAndVideoIds) {
  EXPECT_EQ(asin_from_link("https://www.amazon.com/Some-Title/dp/B0ABCDEF12/ref=x?tag=a"),
            "B0ABCDEF12");
  EXPECT_EQ(asin_from_link("https://www.amazon.de/gp/product/B0ABCDEF12"), "B0ABCDEF12");
  EXPECT_FALSE(asin_from_link("https://amzn.to/3xYzAbC"));
  EXPECT_FALSE(asin_from_link("not a url at all %%"));
  EXPECT_EQ(youtube_id_from_url("https://youtu.be/xyz987"), "xyz987");
  EXPECT_EQ(youtube_id_from_url("https://www.youtube.com/watch?v=abc&t=3"), "abc");
  EXPECT_EQ(youtube_id_from_url("https://youtube.com/shorts/S1"), "S1");
  EXPECT_FALSE(youtube_id_from_url("https://example.com/watch?v=abc"));
}

}  // namespace
}  // namespace automuse::import
