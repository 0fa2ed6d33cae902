// tests/plugin_loading/host_cli_test.cpp — automuse-host as a user runs it: plugins list/info/
// install/remove, crashing and hanging plugins reported by the child-process probe, action
// dispatch with --plugin, config init/check, --version. Each test gets its own XDG folders.
#include <automuse/version.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/host_process.hpp"
#include "support/sanitizers.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// The ABI this host speaks, as the host writes it.
const std::string kAbi = std::to_string(AM_ABI_MAJOR) + "." + std::to_string(AM_ABI_MINOR);

using Result = automuse::testing::HostResult;

class HostCli : public ::testing::Test {
 protected:
  Result host(const std::string &args) {
    return automuse::testing::run_in_sandbox(root_, std::string(HOST_EXE) + " " + args);
  }
  static std::string dir(const std::string &name) {
    return (fs::path(FIXTURE_ROOT) / name).string();
  }
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

}  // namespace

TEST_F(HostCli, VersionLine) {
  auto r = host("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            std::string("automuse-host " AUTOMUSE_VERSION " (SDK ABI ") + kAbi + ")");
}

TEST_F(HostCli, ListJson) {
  auto r = host("--plugin-dir " + dir("good") + " plugins list --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto v = json::parse(r.out).as_array();
  auto it = std::find_if(v.begin(), v.end(), [](auto &p) { return p.at("id") == "fixture-good"; });
  ASSERT_NE(it, v.end()) << r.out;
  auto &p = it->as_object();
  EXPECT_EQ(p.at("name"), "Fixture fixture-good");
  EXPECT_EQ(p.at("version"), "0.0.1");
  EXPECT_EQ(p.at("abi"), kAbi.c_str());
  EXPECT_NE(std::string(p.at("path").as_string()).find("libfixture_good.so"), std::string::npos);
  EXPECT_EQ(p.at("actions"), json::parse(R"(["echo","fail","linger","jobs"])"));
}

TEST_F(HostCli, CrashingPluginIsReportedAndListingGoesOn) {
  // Copy a crashing plugin next to a good one.
  fs::create_directories(root_ / "mixed");
  fs::copy_file(dir("crash") + "/libfixture_crash.so", root_ / "mixed/a_crash.so");
  fs::copy_file(dir("good") + "/libfixture_good.so", root_ / "mixed/b_good.so");
  std::string args = "--plugin-dir " + (root_ / "mixed").string() + " plugins list --json";
  std::string crash = "a_crash.so: crashed with SIGSEGV";
  Result r;
  if constexpr (automuse::testing::kAddressSanitizer) {
    // AddressSanitizer catches the fault in its own handler, reports it and, told to abort,
    // ends the probe with SIGABRT: the probe still names the signal that ended it. The report
    // of this intended crash goes to the sandbox, not where scripts/sanitize.sh collects the
    // reports that fail a run.
    const char *options = std::getenv("ASAN_OPTIONS");
    const auto report = root_ / "intended-crash";
    r = automuse::testing::run_in_sandbox(root_, std::string(HOST_EXE) + " " + args,
                                          {"ASAN_OPTIONS=" + std::string(options ? options : "") +
                                           ":abort_on_error=1:log_path=" + report.string()});
    crash = "a_crash.so: crashed with SIGABRT";
    bool reported = false;
    for (const auto &e : std::filesystem::directory_iterator(root_))
      reported = reported || e.path().filename().string().starts_with("intended-crash");
    EXPECT_TRUE(reported) << "AddressSanitizer reported the plugin's fault";
  } else {
    r = host(args);
  }
  EXPECT_EQ(r.code, 1) << "a file that failed is an error";
  EXPECT_NE(r.err.find(crash), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("fixture-good"), std::string::npos) << r.out;
}

TEST_F(HostCli, HangingPluginTimesOut) {
  auto r = host("--plugin-dir " + dir("hang") + " plugins list");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("libfixture_hang.so: did not answer in 5 s"), std::string::npos) << r.err;
}

TEST_F(HostCli, EachLoadFailureIsOneClearLine) {
  struct Case {
    std::string dir, expect;
  } cases[] = {
      {"abi_major", "fixture_abi_major: plugin built for SDK ABI 2.0, this host speaks " + kAbi},
      {"abi_minor", "plugin built for SDK ABI 1.99, this host speaks " + kAbi},
      {"no_entry", "missing entry symbol"},
      {"unresolved", "unresolved symbol"},
      {"missing_dep", "missing dependency"},
      {"initfail", "fixture-initfail: init failed (unauthenticated); the plugin gave no reason"},
  };
  for (auto &c : cases) {
    auto r = host("--plugin-dir " + dir(c.dir) + " plugins list");
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.dir << ": " << r.err;
    EXPECT_NE(r.err.find(dir(c.dir)), std::string::npos) << "names the file: " << r.err;
  }
}

TEST_F(HostCli, DuplicateIdNamesBothFiles) {
  auto r = host("--plugin-dir " + dir("dup") + " plugins list");
  EXPECT_NE(r.err.find("duplicate plugin id 'fixture-good'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dup_a.so"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dup_b.so"), std::string::npos) << r.err;
  auto run = host("--plugin-dir " + dir("dup") + " --plugin fixture-good echo");
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("duplicate plugin id"), std::string::npos) << run.err;
}

TEST_F(HostCli, RunsActionsWithOptions) {
  auto no_account =
      host("--plugin-dir " + dir("good") + " --plugin fixture-good echo --account alice");
  EXPECT_EQ(no_account.code, 2);
  EXPECT_NE(no_account.err.find("account 'alice'"), std::string::npos) << no_account.err;
  auto add =
      host("--plugin-dir " + dir("good") + " accounts add --plugin fixture-good --nickname alice");
  ASSERT_EQ(add.code, 0) << add.err;

  auto r = host("--plugin-dir " + dir("good") +
                " --plugin fixture-good echo --account alice --set tone=calm --text hello extra");
  ASSERT_EQ(r.code, 0) << r.err;
  auto v = json::parse(r.out).as_object();
  EXPECT_EQ(v.at("account").at("nickname"), "alice");
  EXPECT_EQ(v.at("options").at("tone"), "calm");
  EXPECT_EQ(v.at("options").at("text"), "hello");
  EXPECT_EQ(v.at("args"), json::parse(R"(["extra"])"));

  // An action named like a host command is the plugin's after --plugin, not the command.
  auto jobs = host("--plugin-dir " + dir("good") + " --plugin fixture-good jobs --account alice");
  ASSERT_EQ(jobs.code, 0) << jobs.err;
  EXPECT_EQ(json::parse(jobs.out).at("account").at("nickname"), "alice") << jobs.out;
  EXPECT_NE(host("--plugin-dir " + dir("good") + " jobs --json").out.find('['), std::string::npos);

  auto fail = host("--plugin-dir " + dir("good") + " --plugin fixture-good fail");
  EXPECT_EQ(fail.code, 2);
  EXPECT_NE(fail.err.find("field 'niche' is required"), std::string::npos) << fail.err;

  auto unknown = host("--plugin-dir " + dir("good") + " --plugin fixture-good dance");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("has no action 'dance' (its actions: echo, fail, linger, jobs)"),
            std::string::npos)
      << unknown.err;

  auto missing = host("--plugin-dir " + dir("good") + " --plugin nosuch run");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no plugin with id 'nosuch'"), std::string::npos) << missing.err;
}

TEST_F(HostCli, HelpListsPluginActions) {
  auto r = host("--plugin-dir " + dir("good") + " --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("fixture-good: echo fail linger"), std::string::npos) << r.out;
}

TEST_F(HostCli, InstallChecksAbiThenCopiesAndRemoveDeletes) {
  auto bad = host("plugins install " + dir("abi_major") + "/libfixture_abi_major.so");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("SDK ABI 2.0"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(root_ / "data/automuse/plugins/libfixture_abi_major.so"));

  auto ok = host("plugins install " + dir("good") + "/libfixture_good.so");
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(root_ / "data/automuse/plugins/libfixture_good.so"));
  auto list = host("plugins list --json");
  EXPECT_NE(list.out.find("fixture-good"), std::string::npos) << list.out;
  auto info = host("plugins info fixture-good");
  EXPECT_EQ(info.code, 0);
  EXPECT_NE(info.out.find("actions:  echo, fail, linger, jobs"), std::string::npos) << info.out;

  auto rm = host("plugins remove fixture-good");
  EXPECT_EQ(rm.code, 0) << rm.err;
  EXPECT_FALSE(fs::exists(root_ / "data/automuse/plugins/libfixture_good.so"));
  auto again = host("plugins remove fixture-good");
  EXPECT_EQ(again.code, 1);
}

// The fixture renames another plugin over its own source file while the install checks it
// (as someone swapping the file at that moment would): what is installed must be the bytes
// that were checked, not what the source path holds afterwards.
TEST_F(HostCli, InstallCopiesTheBytesThatWereChecked) {
  const fs::path source = root_ / "libfixture_swap.so";
  const fs::path replacement = root_ / "replacement.so";
  fs::copy_file(dir("swap") + "/libfixture_swap.so", source);
  fs::copy_file(dir("good") + "/libfixture_good.so", replacement);
  const std::string checked = automuse::testing::read_file(source);
  auto r = automuse::testing::run_in_sandbox(
      root_, std::string(HOST_EXE) + " plugins install " + source.string(),
      {"AUTOMUSE_FIXTURE_REPLACEMENT=" + replacement.string(),
       "AUTOMUSE_FIXTURE_REPLACED=" + source.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("installed fixture-swap 0.0.1"), std::string::npos) << r.out;
  ASSERT_FALSE(fs::exists(replacement)) << "the fixture did not swap the source";
  const fs::path installed = root_ / "data/automuse/plugins/libfixture_swap.so";
  EXPECT_TRUE(automuse::testing::read_file(installed) == checked)
      << "the installed file is not the one that was checked";
  auto info = host("plugins info fixture-swap");
  EXPECT_EQ(info.code, 0) << info.err;
  EXPECT_EQ(host("plugins info fixture-good").code, 1) << "the swapped-in plugin got installed";
  for (auto &e : fs::directory_iterator(root_ / "data/automuse/plugins"))
    EXPECT_EQ(e.path(), installed) << "left behind";
}

// A host laid out as installed (bin/automuse-host, its bundled plugin folder beside it) whose
// bundled folder holds a plugin with the id "youtube".
class InstalledHost : public HostCli {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "inst/bin");
    fs::create_directories(bundled_);
    fs::copy_file(HOST_EXE, exe_);
    fs::copy_file(dir("youtube_id") + "/libyoutube.so", bundled_ / "libyoutube.so");
  }
  Result installed_host(const std::string &args) {
    return automuse::testing::run_in_sandbox(root_, exe_.string() + " " + args);
  }
  fs::path exe_ = root_ / "inst/bin/automuse-host";
  fs::path bundled_ = root_ / "inst" / PLUGIN_INSTALL_DIR;
};

TEST_F(InstalledHost, PluginWithABundledIdNeedsReplaceBundled) {
  const std::string mine = dir("youtube_id") + "/libyoutube.so";
  const fs::path user_copy = root_ / "data/automuse/plugins/libyoutube.so";
  for (const std::string flags : {"", "--replace "}) {
    auto refused = installed_host("plugins install " + flags + mine);
    EXPECT_EQ(refused.code, 1) << flags << refused.out;
    EXPECT_NE(refused.err.find("plugin 'youtube' has the id of the bundled plugin 'youtube' (" +
                               (bundled_ / "libyoutube.so").string() + ")"),
              std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("--replace-bundled"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(user_copy)) << flags;
  }
  auto ok = installed_host("plugins install --replace-bundled " + mine);
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(
      ok.out.find("taking precedence over the bundled " + (bundled_ / "libyoutube.so").string()),
      std::string::npos)
      << ok.out;
  EXPECT_TRUE(fs::exists(user_copy));
}

TEST_F(HostCli, ConfigInitThenCheck) {
  auto init = host("config init");
  ASSERT_EQ(init.code, 0) << init.err;
  EXPECT_TRUE(fs::exists(root_ / "config/automuse/automuse.json"));
  EXPECT_EQ(host("config init").code, 1) << "does not overwrite without --force";
  auto check = host("config check");
  EXPECT_EQ(check.code, 1) << "the default names OPENAI_API_KEY, unset here: " << check.out;
  EXPECT_NE(check.err.find(
                "llm.providers.openai.api_key: environment variable OPENAI_API_KEY is not set"),
            std::string::npos)
      << check.err;
}

TEST_F(HostCli, ConfigErrorsHaveLineColumnAndPath) {
  std::ofstream(root_ / "bad.json") << "{\n  \"log\": {\"level\": \"info\"\n  \"x\": 1}";
  auto r = host("--config " + (root_ / "bad.json").string() + " config check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad.json:3:3: invalid JSON"), std::string::npos) << r.err;

  std::ofstream(root_ / "typed.json") << R"({"http": {"max_connections": "many"}, "htpp": {}})";
  auto t = host("--config " + (root_ / "typed.json").string() + " config check");
  EXPECT_EQ(t.code, 1);
  EXPECT_NE(t.err.find("http.max_connections: must be a number"), std::string::npos) << t.err;
  EXPECT_NE(t.out.find("htpp: unknown key"), std::string::npos) << t.out;
}

// The renderer's encoder names are checked by `config check`, not first by a failing render.
TEST_F(HostCli, ConfigCheckNamesAnUnknownEncoder) {
  std::ofstream(root_ / "enc.json") << R"({"render": {"encoder": "h264_magic"}})";
  auto r = host("--config " + (root_ / "enc.json").string() + " config check");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("render.encoder: unknown encoder \"h264_magic\" (expected one of: "),
            std::string::npos)
      << r.err;
  std::ofstream(root_ / "ok.json") << R"({"render": {"encoder": "auto"}})";
  auto ok = host("--config " + (root_ / "ok.json").string() + " config check");
  EXPECT_EQ(ok.code, 0) << ok.err;
}
