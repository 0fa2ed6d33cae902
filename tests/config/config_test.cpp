// tests/config/config_test.cpp — automuse.json parsing, checking, env secrets, and a plugin
// reading its own section through automuse.config/1.
#include "config/config.hpp"
#include "config/config_service.hpp"
#include "config/paths.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "support/temp_folder.hpp"

#include <automuse/cpp/buffer.hpp>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

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

TEST(Config, PluginReadsOwnSectionWithEnvResolved) {
  ::setenv("AUTOMUSE_TEST_KEY", "k-123456789", 1);
  auto c = Config::parse(R"({"plugins": {"tiktok": {"region": "de", "key": {"env": "AUTOMUSE_TEST_KEY"}},
                                         "other": {"x": 1}}})",
                         "x.json");
  automuse::testing::TempFolder tmp;
  fs::path data = tmp.path();
  automuse::core::Runtime runtime(1, 1);
  automuse::core::ServiceRegistry services;
  services.add(AM_CONFIG_SERVICE_ID, automuse::config::config_service(c, data));
  auto ctx = automuse::core::make_plugin_context("tiktok", services, runtime);
  auto *svc = static_cast<const am_config *>(ctx->host.get_service(&ctx->host, AM_CONFIG_SERVICE_ID));
  ASSERT_NE(svc, nullptr);
  am::buffer section;
  ASSERT_EQ(svc->plugin_section(&ctx->host, section.out()), AM_OK);
  EXPECT_EQ(boost::json::parse(section.view()), boost::json::parse(R"({"region":"de","key":"k-123456789"})"));
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
