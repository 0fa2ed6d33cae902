// tests/config/config_test.cpp — automuse.json parsing, checking, env secrets, and a plugin
// reading its own section through automuse.config/1.
#include "config/config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

#include "config/config_service.hpp"
#include "config/limits.hpp"
#include "config/paths.hpp"
#include "core/atomic_file.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using automuse::config::Config;
using automuse::config::ConfigError;

TEST(Config, SyntaxErrorHasLineAndColumn) {
  try {
    Config::parse("{\n  \"a\": 1,\n  \"b\": ]\n}", "x.json");
    FAIL();
  } catch (const ConfigError &e) {
    EXPECT_EQ(std::string(e.what()).rfind("x.json:3:8: invalid JSON", 0), 0u) << e.what();
  }
}

TEST(Config, CommentsAndTrailingCommasAccepted) {
  auto c = Config::parse("{ // mine\n \"log\": {\"level\": \"debug\",},}", "x.json");
  EXPECT_EQ(c.find("log.level")->as_string(), "debug");
  EXPECT_TRUE(c.check().empty());
}

TEST(Config, CheckReportsPathsKindsAndUnsetEnv) {
  ::unsetenv("AUTOMUSE_TEST_UNSET");
  auto c = Config::parse(R"({"http": {"max_connections": 0, "proxy": 5},
                           "limits": {"renders": "two"},
                           "plugins": {"youtube": {"client_secret": {"env": "AUTOMUSE_TEST_UNSET"}}},
                           "colour": "blue"})",
                         "x.json");
  auto problems = c.check();
  auto has = [&](const std::string &path, const std::string &text) {
    for (auto &p : problems)
      if (p.path == path && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("http.proxy", "must be a string or null"));
  EXPECT_TRUE(has("http.max_connections", "greater than 0"));
  EXPECT_TRUE(has("limits.renders", "must be a number"));
  EXPECT_TRUE(has("plugins.youtube.client_secret", "AUTOMUSE_TEST_UNSET is not set"));
  EXPECT_TRUE(has("colour", "unknown key"));
}

TEST(Config, LimitsAreReadInBytesAndPixels) {
  using automuse::config::read_limits;
  auto c = Config::parse(R"({"limits": {"response_body_mb": 2, "downloads_mb": {"image": 0.5,
                           "video": 3, "audio": 4}, "media_megapixels": 1.5, "llm_answer_kb": 16,
                           "upload_mb": 1e300}})",
                         "x.json");
  EXPECT_TRUE(c.check().empty());
  auto l = read_limits(c);
  EXPECT_EQ(l.response_body_bytes, 2u << 20);
  EXPECT_EQ(l.image_download_bytes, 512u << 10);
  EXPECT_EQ(l.video_download_bytes, 3u << 20);
  EXPECT_EQ(l.audio_download_bytes, 4u << 20);
  EXPECT_EQ(l.media_pixels, 1'500'000u);
  EXPECT_EQ(l.llm_answer_bytes, 16u << 10);
  EXPECT_EQ(l.upload_bytes, uint64_t(1) << 62);  // clamped, not an overflowing cast

  // Absent: the defaults `config init` writes.
  auto d = read_limits(Config::parse(Config::default_text(), "init"));
  auto none = read_limits(Config::parse("{}", "x.json"));
  EXPECT_EQ(d.response_body_bytes, 32u << 20);
  EXPECT_EQ(none.response_body_bytes, d.response_body_bytes);
  EXPECT_EQ(none.image_download_bytes, d.image_download_bytes);
  EXPECT_EQ(none.video_download_bytes, d.video_download_bytes);
  EXPECT_EQ(none.audio_download_bytes, d.audio_download_bytes);
  EXPECT_EQ(none.media_pixels, d.media_pixels);
  EXPECT_EQ(none.llm_answer_bytes, d.llm_answer_bytes);
  EXPECT_EQ(none.upload_bytes, d.upload_bytes);

  // Zero, negative or not a number: config check names it; reading keeps the default.
  auto bad = Config::parse(R"({"limits": {"response_body_mb": 0, "upload_mb": -1,
                             "downloads_mb": {"image": "big"}}})",
                           "x.json");
  auto problems = bad.check();
  auto has = [&](const std::string &path, const std::string &text) {
    for (auto &p : problems)
      if (p.path == path && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("limits.response_body_mb", "greater than 0"));
  EXPECT_TRUE(has("limits.upload_mb", "greater than 0"));
  EXPECT_TRUE(has("limits.downloads_mb.image", "must be a number"));
  EXPECT_EQ(read_limits(bad).response_body_bytes, d.response_body_bytes);
}

TEST(Config, PluginReadsOwnSectionWithEnvResolved) {
  ::setenv("AUTOMUSE_TEST_KEY", "k-123456789", 1);
  auto c =
      Config::parse(R"({"plugins": {"tiktok": {"region": "de", "key": {"env": "AUTOMUSE_TEST_KEY"}},
                                         "other": {"x": 1}}})",
                    "x.json");
  automuse::testing::TempFolder tmp;
  fs::path data = tmp.path();
  automuse::core::Runtime runtime(1, 1);
  automuse::core::ServiceRegistry services;
  services.add(AM_CONFIG_SERVICE_ID, automuse::config::config_service(c, data));
  auto ctx = automuse::core::make_plugin_context("tiktok", services, runtime);
  auto *svc =
      static_cast<const am_config *>(ctx->host.get_service(&ctx->host, AM_CONFIG_SERVICE_ID));
  ASSERT_NE(svc, nullptr);
  am::buffer section;
  ASSERT_EQ(svc->plugin_section(&ctx->host, section.out()), AM_OK);
  EXPECT_EQ(boost::json::parse(section.view()),
            boost::json::parse(R"({"region":"de","key":"k-123456789"})"));
  am::buffer dir;
  ASSERT_EQ(svc->data_dir(&ctx->host, dir.out()), AM_OK);
  EXPECT_EQ(fs::path(dir.str()), data / "plugins-data" / "tiktok");
  struct stat st {};
  ASSERT_EQ(::stat(dir.str().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto secrets = c.secrets();
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), "k-123456789"), secrets.end());
}

TEST(Paths, AtomicWriteReplacesWholeFileOwnerOnly) {
  automuse::testing::TempFolder tmp;
  fs::path dir = tmp.path();
  fs::path f = dir / "sub" / "file.json";
  automuse::config::write_file_atomically(f, "first");
  automuse::config::write_file_atomically(f, "second");
  std::ifstream in(f);
  std::string s((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(s, "second");
  struct stat st {};
  ::stat(f.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (auto &e : fs::directory_iterator(f.parent_path()))
    EXPECT_EQ(e.path().filename(), "file.json") << "no temporary left behind";
}

// The temporary file's old name was guessable (target + ".tmp-" + pid) and opened without
// O_EXCL: a symlink planted there redirected the write (the config holds secrets) to any file
// the user could write, and the rename then put the attacker's link in place of the config.
TEST(Paths, AtomicWriteFollowsNoLinkPlantedAtAGuessableTempName) {
  automuse::testing::TempFolder tmp;
  const fs::path f = tmp / "automuse.json";
  const fs::path victim = tmp / "victim";
  automuse::testing::write_file(victim, "keep");
  const fs::path planted = f.string() + ".tmp-" + std::to_string(::getpid());
  fs::create_symlink(victim, planted);
  automuse::config::write_file_atomically(f, "{\"secret\": 1}");
  EXPECT_TRUE(automuse::testing::read_file(victim) == "keep") << "the planted link was followed";
  EXPECT_TRUE(fs::is_symlink(planted)) << "the planted link is left alone, not renamed";
  EXPECT_FALSE(fs::is_symlink(f));
  EXPECT_EQ(automuse::testing::read_file(f), "{\"secret\": 1}");
  struct stat st {};
  ASSERT_EQ(::stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Paths, AtomicWriteLeavesAFilePlantedAtAGuessableTempName) {
  automuse::testing::TempFolder tmp;
  const fs::path f = tmp / "automuse.json";
  const fs::path planted = f.string() + ".tmp-" + std::to_string(::getpid());
  automuse::testing::write_file(planted, "someone else's");
  automuse::config::write_file_atomically(f, "mine");
  EXPECT_EQ(automuse::testing::read_file(planted), "someone else's");
  EXPECT_EQ(automuse::testing::read_file(f), "mine");
}

// The temporary is created exclusively and owner-only, and is gone when not committed.
TEST(AtomicFile, TemporaryIsExclusiveOwnerOnlyAndRemovedIfNotCommitted) {
  automuse::testing::TempFolder tmp;
  const fs::path f = tmp / "out.png";
  fs::path temp;
  {
    automuse::core::AtomicFile a(f, automuse::core::kSharedFile);
    temp = a.temp_path();
    EXPECT_EQ(temp.parent_path(), f.parent_path()) << "beside the target, so rename is atomic";
    struct stat st {};
    ASSERT_EQ(::lstat(temp.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "private until finished";
    automuse::core::AtomicFile b(f);
    EXPECT_NE(b.temp_path(), temp) << "a second writer gets its own file";
    a.write("half");
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(f));
  automuse::core::AtomicFile c(f, automuse::core::kSharedFile);
  c.write("whole");
  c.commit();
  struct stat st {};
  ASSERT_EQ(::stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_EQ(automuse::testing::read_file(f), "whole");
}

TEST(AtomicFile, UnwritableFolderIsNamedInTheError) {
  try {
    automuse::core::write_file_atomically("/nonexistent-automuse-folder/x.json", "x");
    FAIL();
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-automuse-folder/x.json"), std::string::npos)
        << e.what();
  }
}
