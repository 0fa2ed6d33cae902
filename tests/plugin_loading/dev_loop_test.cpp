// tests/plugin_loading/dev_loop_test.cpp — the development loop as a plugin author lives it, with the
// real automuse-host: fixture-good is installed in the user's plugin folder, and another build
// of it sits in a --plugin-dir. That build takes precedence for the run and the host says so;
// a build there that does not load stops the run with an error naming the file (the installed
// copy never runs instead); installing an id again needs --replace; `plugins list` picks the
// same file as the run.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/host_process.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::HostResult;
using automuse::testing::shell_quote;

namespace {

class DevLoop : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "empty");
    std::ofstream(root_ / "automuse.json") << R"({"log": {"file": false}})";
  }
  // automuse-host with `--plugin-dir plugin_dir` and the sandbox's own user plugin folder.
  HostResult host(const std::string &plugin_dir, const std::string &args) {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE),
                                       shell_quote(plugin_dir), root_, args);
  }
  HostResult host(const std::string &args) { return host((root_ / "empty").string(), args); }

  static std::string fixture(const std::string &dir) {
    return (fs::path(FIXTURE_ROOT) / dir).string();
  }
  static std::string fixture(const std::string &dir, const std::string &file) {
    return (fs::path(FIXTURE_ROOT) / dir / file).string();
  }
  fs::path user_dir() const { return root_ / "data/automuse/plugins"; }

  void install_good() {
    auto r = host("plugins install " + shell_quote(fixture("good", "libfixture_good.so")));
    ASSERT_EQ(r.code, 0) << r.err;
  }

  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

std::string listed_path(const std::string &list_json, const std::string &id) {
  const json::value list = json::parse(list_json);
  for (auto &p : list.as_array())
    if (p.at("id") == id.c_str()) return std::string(p.at("path").as_string());
  return "";
}

}  // namespace

TEST_F(DevLoop, PluginDirTakesPrecedenceAndSaysSo) {
  install_good();
  const std::string installed = (user_dir() / "libfixture_good.so").string();
  const std::string dev = fixture("good_v2", "libfixture_good.so");

  auto run = host(fixture("good_v2"), "--plugin fixture-good fail");
  EXPECT_EQ(run.code, 2) << run.err;
  EXPECT_NE(run.err.find("the dev build failed"), std::string::npos)
      << "the dev build ran: " << run.err;
  EXPECT_NE(run.err.find("plugin 'fixture-good': using " + dev + ", which takes precedence over " +
                         installed),
            std::string::npos)
      << run.err;

  // Without --plugin-dir's copy, the installed one runs, and nothing is said.
  auto plain = host("--plugin fixture-good fail");
  EXPECT_EQ(plain.code, 2);
  EXPECT_NE(plain.err.find("field 'niche' is required"), std::string::npos) << plain.err;
  EXPECT_EQ(plain.err.find("takes precedence"), std::string::npos) << plain.err;
}

TEST_F(DevLoop, ABrokenBuildIsAnErrorNotAFallback) {
  install_good();
  struct Case {
    const char *dir, *file, *reason;
  } cases[] = {
      {"good_abi_minor", "libfixture_good.so", "plugin built for SDK ABI 1.99"},
      {"unresolved", "libfixture_unresolved.so", "unresolved symbol"},
      {"no_entry", "libfixture_no_entry.so", "missing entry symbol"},
      {"good_initfail", "libfixture_good.so", "init failed"},
  };
  for (const auto &c : cases) {
    auto r = host(fixture(c.dir), "--plugin fixture-good echo --text hi");
    EXPECT_NE(r.code, 0) << c.dir << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.dir << ": the installed copy must not run";
    EXPECT_NE(r.err.find(fixture(c.dir, c.file)), std::string::npos) << c.dir << ": " << r.err;
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << c.dir << ": " << r.err;
  }
}

TEST_F(DevLoop, ABrokenBuildOfAnotherPluginDoesNotStopThisOne) {
  // fixture-abi-minor's id is readable, so only that plugin is refused.
  install_good();
  auto r = host(fixture("abi_minor"), "--plugin fixture-good echo --text hi");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"text\":\"hi\""), std::string::npos) << r.out;
}

TEST_F(DevLoop, InstallingAnExistingIdNeedsReplace) {
  install_good();
  const std::string first = (user_dir() / "libfixture_good.so").string();
  // The same id under another file name.
  auto again = host("plugins install " + shell_quote(fixture("dup", "libdup_a.so")));
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("plugin 'fixture-good' is already installed as " + first),
            std::string::npos)
      << again.err;
  EXPECT_NE(again.err.find("--replace"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(user_dir() / "libdup_a.so"));

  auto replaced = host("plugins install --replace " + shell_quote(fixture("dup", "libdup_a.so")));
  ASSERT_EQ(replaced.code, 0) << replaced.err;
  EXPECT_NE(replaced.out.find("replacing " + first), std::string::npos) << replaced.out;
  EXPECT_TRUE(fs::exists(user_dir() / "libdup_a.so"));
  EXPECT_FALSE(fs::exists(first)) << "one file per id in the user folder";

  auto list = host("plugins list --json");
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(listed_path(list.out, "fixture-good"), (user_dir() / "libdup_a.so").string());
  EXPECT_EQ(host("--plugin fixture-good echo").code, 0);
}

TEST_F(DevLoop, ListAndRunAgree) {
  install_good();
  const std::string dev = fixture("good_v2", "libfixture_good.so");
  auto list = host(fixture("good_v2"), "plugins list --json");
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(listed_path(list.out, "fixture-good"), dev) << list.out;
  EXPECT_NE(list.err.find("plugin 'fixture-good': using " + dev), std::string::npos) << list.err;

  // A broken build: the list reports it as the run does, and fails as the run fails.
  const std::string broken = fixture("unresolved", "libfixture_unresolved.so");
  auto broken_list = host(fixture("unresolved"), "plugins list");
  EXPECT_EQ(broken_list.code, 1);
  EXPECT_NE(broken_list.err.find(broken + ": unresolved symbol"), std::string::npos)
      << broken_list.err;
  auto broken_run = host(fixture("unresolved"), "--plugin fixture-good echo");
  EXPECT_EQ(broken_run.code, 1);
  EXPECT_NE(broken_run.err.find(broken + ": unresolved symbol"), std::string::npos)
      << broken_run.err;
}

TEST_F(DevLoop, TwoFilesOfOneIdInOneFolderNameBoth) {
  auto list = host(fixture("dup"), "plugins list");
  EXPECT_EQ(list.code, 1);
  EXPECT_NE(list.err.find("duplicate plugin id 'fixture-good': " + fixture("dup", "libdup_a.so") +
                          " and " + fixture("dup", "libdup_b.so")),
            std::string::npos)
      << list.err;
  auto run = host(fixture("dup"), "--plugin fixture-good echo");
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("duplicate plugin id 'fixture-good'"), std::string::npos) << run.err;
}
