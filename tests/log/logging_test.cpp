// tests/log/logging_test.cpp — the log service: per-plugin logger names, file sink, JSON
// lines, levels, and redaction of secrets in every message.
#include "log/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <automuse/cpp/log.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/runtime.hpp"
#include "core/services.hpp"
#include "log/log_service.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
namespace lg = automuse::log;

namespace {

std::string read_file(const fs::path &p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Logging : public ::testing::Test {
 protected:
  void TearDown() override { lg::setup({}); }
  std::string flushed() {
    spdlog::apply_all([](auto l) { l->flush(); });
    return read_file(dir_ / "automuse.log");
  }
  automuse::testing::TempFolder temp_;
  fs::path dir_ = temp_ / "logs";  // not made yet: the logger makes it
};

}  // namespace

TEST(Redaction, KnownShapesOfSecrets) {
  EXPECT_EQ(lg::redact("Authorization: Bearer abc.def-123"), "Authorization: ***");
  EXPECT_EQ(lg::redact("token Bearer eyJhbGciOi.x.y here"), "token Bearer *** here");
  EXPECT_EQ(lg::redact("GET /v1beta/models/x:generateContent?key=AIzaSyD-123&alt=sse"),
            "GET /v1beta/models/x:generateContent?key=***&alt=sse");
  EXPECT_EQ(lg::redact("xi-api-key: 0123456789abcdef"), "xi-api-key: ***");
  EXPECT_EQ(lg::redact(R"({"client_secret": "s3cr3t-value", "x": 1})"),
            R"({"client_secret": "***", "x": 1})");
  EXPECT_EQ(lg::redact("using sk-proj-ABCDEFGHIJKLMNOP1234"), "using sk-***");
  EXPECT_EQ(lg::redact("nothing secret here"), "nothing secret here");
}

TEST(Redaction, RegisteredSecretValues) {
  lg::add_secret("my-very-private-value-42");
  lg::add_secret("abc");  // too short to register: would redact ordinary words
  EXPECT_EQ(lg::redact("x=my-very-private-value-42;y"), "x=***;y");
  EXPECT_EQ(lg::redact("abc"), "abc");
}

TEST_F(Logging, PluginMessagesGoToFileUnderPluginNameRedacted) {
  lg::Options o;
  o.file = dir_ / "automuse.log";
  o.console_level = spdlog::level::off;
  o.file_level = spdlog::level::debug;
  lg::setup(o);
  automuse::core::Runtime runtime(1, 1);
  automuse::core::ServiceRegistry services;
  services.add(AM_LOG_SERVICE_ID, lg::log_service());
  auto ctx = automuse::core::make_plugin_context("tiktok", services, runtime);
  am::logger log{am::host(&ctx->host)};
  EXPECT_TRUE(log.enabled(AM_LOG_DEBUG));
  EXPECT_FALSE(log.enabled(AM_LOG_TRACE));
  log.info("uploading with Authorization: Bearer SECRETTOKEN123");
  log.trace("too verbose to appear");
  auto text = flushed();
  EXPECT_NE(text.find("[tiktok] info uploading with Authorization: ***"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("SECRETTOKEN123"), std::string::npos) << text;
  EXPECT_EQ(text.find("too verbose"), std::string::npos) << text;
}

TEST_F(Logging, JsonLinesAreValidJson) {
  lg::Options o;
  o.file = dir_ / "automuse.log";
  o.console_level = spdlog::level::off;
  o.json = true;
  lg::setup(o);
  lg::write("youtube", spdlog::level::warn, "a \"quoted\"\nmultiline message with size=abc");
  auto text = flushed();
  std::istringstream lines(text);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto v = boost::json::parse(line).as_object();
    EXPECT_EQ(v.at("logger"), "youtube");
    EXPECT_EQ(v.at("level"), "warning");
    EXPECT_EQ(v.at("message"), "a \"quoted\"\nmultiline message with size=abc");
    ++n;
  }
  EXPECT_EQ(n, 1);
}

namespace {
mode_t mode_of(const fs::path &p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}
}  // namespace

// The log file holds account names, URLs and what went wrong: only its owner may read it,
// whatever the umask, and so may the files rotation makes of it.
TEST_F(Logging, FileAndRotatedFilesAreOwnerOnly) {
  const mode_t old_umask = ::umask(022);
  lg::Options o;
  o.file = dir_ / "automuse.log";
  o.console_level = spdlog::level::off;
  o.max_file_bytes = 4096;
  lg::setup(o);
  lg::write("host", spdlog::level::info, "first line");
  spdlog::apply_all([](auto l) { l->flush(); });
  EXPECT_EQ(mode_of(dir_ / "automuse.log"), 0600u);
  for (int i = 0; i < 100; ++i) lg::write("host", spdlog::level::info, std::string(100, 'x'));
  spdlog::apply_all([](auto l) { l->flush(); });
  ::umask(old_umask);
  ASSERT_TRUE(fs::exists(dir_ / "automuse.1.log"));
  EXPECT_EQ(mode_of(dir_ / "automuse.1.log"), 0600u);
  EXPECT_EQ(mode_of(dir_ / "automuse.log"), 0600u);  // the new file rotation opened
}
