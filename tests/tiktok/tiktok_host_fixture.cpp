// tests/tiktok/tiktok_host_fixture.cpp — the sandbox, the fake and the rendered Short.
#include "tiktok_host_fixture.hpp"

#include <fstream>
#include <regex>

#include "mp4_boxes.hpp"
#include "support/files.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/oauth/fake_browser.hpp"

namespace tiktok_test {
namespace json = boost::json;
using namespace std::chrono_literals;

void TikTokHost::SetUpTestSuite() {
  suite_temp_ = std::make_unique<automuse::testing::TempFolder>();
  const fs::path root = suite_temp_->path();
  automuse::testing::FakeOpenAI llm;
  llm.set_answer([](const json::array &) { return std::string("no idea"); });
  json::object config{{"llm", llm.host_config()}, {"log", {{"file", false}}}};
  std::ofstream(root / "automuse.json") << json::serialize(config);
  std::ofstream(root / "script.txt") << "An octopus has three hearts. Its blood is blue.";
  HostResult r = automuse::testing::run_host(
      HOST_EXE, automuse::testing::plugin_dir(PLUGIN_DIR), root,
      "--plugin youtube generate --script " +
          automuse::testing::shell_quote((root / "script.txt").string()) +
          " --title 'Octopus facts' --width 360 --height 640 --outbox " +
          automuse::testing::shell_quote((root / "outbox").string()));
  ASSERT_EQ(r.code, 0) << r.err;
  short_path_ = std::string(json::parse(r.out).at("video").as_string());
  ASSERT_TRUE(fs::exists(short_path_));
}

void TikTokHost::TearDownTestSuite() {
  suite_temp_.reset();
}

void TikTokHost::SetUp() {
  ASSERT_FALSE(short_path_.empty()) << "the Short could not be rendered";
  start_fake();
}

void TikTokHost::start_fake(FakeTikTok::Options options, FakeTikTok::Account account) {
  fake_.reset();
  fake_ = std::make_unique<FakeTikTok>(FakeTikTok::Client{}, options);
  fake_->rate_limits(false);
  open_id_ = fake_->add_account(account);
  write_config();
  if (!fs::exists(root_ / "data")) {
    HostResult r = run({"accounts", "add", "--plugin", "tiktok", "--nickname", "chef", "--set",
                        "client_key=" + fake_->client().key, "--set",
                        "client_secret=" + fake_->client().secret});
    ASSERT_EQ(r.code, 0) << r.err;
  }
}

void TikTokHost::write_config(const json::object &extra) {
  json::object tiktok{{"api_base", fake_->api_base()},
                      {"authorize_url", fake_->authorize_url()},
                      {"token_url", fake_->token_url()},
                      {"poll_interval_ms", 20}};
  for (const auto &[k, v] : extra) tiktok[k] = v;
  json::object config{{"plugins", {{"tiktok", tiktok}}}, {"log", {{"file", true}}}};
  std::ofstream(root_ / "automuse.json") << json::serialize(config);
}

std::vector<std::string> TikTokHost::env() const {
  std::vector<std::string> e = automuse::testing::sandbox_env(root_);
  e.push_back("XDG_CACHE_HOME=" + (root_ / "cache").string());
  return e;
}

HostProcess TikTokHost::spawn(const std::vector<std::string> &args) {
  return HostProcess(automuse::testing::host_argv(
                         HOST_EXE, automuse::testing::plugin_dir(PLUGIN_DIR), root_, args),
                     env());
}

HostResult TikTokHost::run(const std::vector<std::string> &args, int timeout_secs) {
  HostProcess p = spawn(args);
  auto code = p.wait(std::chrono::seconds(timeout_secs));
  return {code.value_or(-1), p.out(), p.err()};
}

void TikTokHost::authorise() {
  HostProcess p = spawn({"auth", "tiktok", "--account", "chef", "--no-browser"});
  std::regex re("http://127\\.0\\.0\\.1:" + std::to_string(fake_->server().port()) +
                "/v2/auth/authorize/\\?[^\\s]+");
  auto url = p.wait_for_stderr(re, 30s);
  ASSERT_TRUE(url) << "no authorize URL printed; stderr:\n" << p.err();
  auto visit = automuse::testing::browser_visit(*url);
  EXPECT_EQ(visit.page.status, 200u) << visit.page.body;
  ASSERT_EQ(p.wait(60s), 0) << p.err();
}

HostResult TikTokHost::post(const std::string &video, const std::string &caption,
                            const std::vector<std::string> &more) {
  std::vector<std::string> args = {"--plugin", "tiktok", "post",      "--account", "chef",
                                   "--video",  video,    "--caption", caption};
  args.insert(args.end(), more.begin(), more.end());
  return run(args);
}

std::string TikTokHost::log_text() const {
  return automuse::testing::read_file(root_ / "data" / "automuse" / "logs" / "automuse.log");
}

std::string TikTokHost::short_copy(const std::string &name) const {
  const fs::path to = root_ / name;
  fs::copy_file(short_path_, to, fs::copy_options::overwrite_existing);
  return to.string();
}

std::string TikTokHost::padded_mp4(const std::string &name, uint64_t bytes) const {
  Mp4Spec spec;
  spec.pad_to = bytes;
  const fs::path to = root_ / name;
  automuse::testing::write_file(to, mp4_file(spec));
  return to.string();
}

uint32_t file_crc(const std::string &path) {
  return automuse::testing::crc32(automuse::testing::read_file(path));
}

}  // namespace tiktok_test
