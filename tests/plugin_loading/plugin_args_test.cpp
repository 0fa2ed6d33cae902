// tests/plugin_loading/plugin_args_test.cpp — what a plugin is given and what it says back, end to end
// through automuse-host: options typed by the plugin's describe() and read through
// automuse.args/1 by a C plugin with no JSON code (fixture-args); undeclared or mistyped
// options refused before the plugin runs; account fields; the host's own options; the plugin's
// reasons for a refused action and a failed init, with their status words; a plugin built for
// ABI 1.0 still loads.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/host_process.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::HostResult;

namespace {

class PluginArgs : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(root_ / "automuse.json") << "{}\n"; }
  HostResult host(const std::string &dir, const std::string &args) {
    return automuse::testing::run_host(HOST_EXE, (fs::path(FIXTURE_ROOT) / dir).string(), root_,
                                       args);
  }
  HostResult show(const std::string &args) {
    return host("args", "--plugin fixture-args show " + args);
  }
  static bool has(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
  }
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

}  // namespace

TEST_F(PluginArgs, OptionsArriveTypedAndTheCPluginReadsThemThroughTheService) {
  auto r = show("--title Hello --count 3 --ratio 0.25 --loud first second");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"title": "Hello", "count": 3, "ratio": 0.25,
      "loud": true, "mode": "fast", "account": "", "niche": "", "per_day": 0,
      "args": ["first", "second"]})"));

  // --set and --name=value give the same typed values; a boolean never eats the next word.
  r = show("--set count=7 --set mode=slow --loud=no --title=Hi word");
  ASSERT_EQ(r.code, 0) << r.err;
  auto v = json::parse(r.out).as_object();
  EXPECT_EQ(v.at("count"), 7);
  EXPECT_EQ(v.at("mode"), "slow");
  EXPECT_EQ(v.at("loud"), false);
  EXPECT_EQ(v.at("args"), json::parse(R"(["word"])"));

  // Nothing given: the plugin's own defaults, and the declared default for --mode.
  r = show("");
  ASSERT_EQ(r.code, 0) << r.err;
  v = json::parse(r.out).as_object();
  EXPECT_EQ(v.at("title"), "untitled");
  EXPECT_EQ(v.at("count"), 1);
  EXPECT_EQ(v.at("mode"), "fast");
}

TEST_F(PluginArgs, AccountFieldsAndNicknameAreReadThroughTheService) {
  auto add = host("args", "accounts add --plugin fixture-args --nickname news --set niche=cooking");
  ASSERT_EQ(add.code, 0) << add.err;
  auto r = show("--account news");
  ASSERT_EQ(r.code, 0) << r.err;
  auto v = json::parse(r.out).as_object();
  EXPECT_EQ(v.at("account"), "news");
  EXPECT_EQ(v.at("niche"), "cooking");
  EXPECT_EQ(v.at("per_day"), 2);  // the field's declared default
}

TEST_F(PluginArgs, AnUndeclaredOptionIsRefusedBeforeThePluginRuns) {
  auto r = show("--colour red");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err,
                  "fixture-args show: unknown option --colour (fixture-args show takes "
                  "--title, --count, --ratio, --loud, --mode; the host takes --account, "
                  "--accounts, --set, --again"))
      << r.err;
  r = show("--set colour=red");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "unknown option --set colour=red")) << r.err;
  r = host("args", "--plugin fixture-args refuse --title x");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "fixture-args refuse takes no options")) << r.err;
}

TEST_F(PluginArgs, AValueThatDoesNotFitItsDeclarationIsRefusedNamingTheOption) {
  struct Case {
    std::string args, message;
  } cases[] = {
      {"--count three", "fixture-args show: option --count must be an integer; got 'three'"},
      {"--count 11", "fixture-args show: option --count must be at most 10; got 11"},
      {"--count 0", "fixture-args show: option --count must be at least 1; got 0"},
      {"--ratio 1/2", "fixture-args show: option --ratio must be a number; got '1/2'"},
      {"--loud=maybe", "fixture-args show: option --loud must be true or false; got 'maybe'"},
      {"--mode medium", "fixture-args show: option --mode must be one of fast, slow; got 'medium'"},
      {"--title", "fixture-args show: option --title needs a value (a string)"},
      {"--title a --title b", "fixture-args show: option --title given twice"},
  };
  for (const Case &c : cases) {
    auto r = show(c.args);
    EXPECT_EQ(r.code, 2) << c.args;
    EXPECT_TRUE(has(r.err, c.message)) << c.args << ": " << r.err;
  }
  auto r = host("args", "--plugin fixture-args mistyped");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "fixture-args mistyped: option --title is required (a string)")) << r.err;
}

TEST_F(PluginArgs, AMistypedReadNamesPluginActionOptionAndWhatWasExpected) {
  auto r = host("args", "--plugin fixture-args mistyped --title hello");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err,
                  "failed (invalid argument): fixture-args mistyped: option --title: "
                  "expected an integer, got \"hello\""))
      << r.err;
}

TEST_F(PluginArgs, HostOptionsAreNeverThePluginsAndNeverRefused) {
  auto r = show("--again --title t");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("title"), "t");
  // --again is the host's own (run identity and the ledger): the plugin never sees it.
  EXPECT_FALSE(json::parse(r.out).as_object().contains("again")) << r.out;
  EXPECT_FALSE(has(r.err, "unknown option")) << r.err;
}

TEST_F(PluginArgs, ARefusalCarriesThePluginsReasonAndStatusWord) {
  auto r = host("args", "--plugin fixture-args refuse");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err,
                  "failed (permission denied): fixture-args refused action 'refuse' "
                  "(permission denied): the channel is paused until Monday"))
      << r.err;
  r = host("args", "--plugin fixture-args refuse-silently");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err,
                  "failed (unsupported): fixture-args refused action 'refuse-silently' "
                  "(unsupported); the plugin gave no reason"))
      << r.err;
}

TEST_F(PluginArgs, AnInitFailureCarriesThePluginsReasonAndStatusWord) {
  auto r = host("args_initfail", "--plugin fixture-args-initfail show");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err,
                  "failed (unauthenticated): fixture-args-initfail: init failed "
                  "(unauthenticated): no API key: set plugins.fixture-args-initfail.api_key "
                  "in automuse.json"))
      << r.err;
  EXPECT_FALSE(has(r.err, "not found")) << r.err;

  r = host("args_initsilent", "--plugin fixture-args-initsilent show");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err,
                  "fixture-args-initsilent: init failed (unavailable); the plugin gave no "
                  "reason"))
      << r.err;

  // The listing's probe shows the same line.
  r = host("args_initfail", "plugins list");
  EXPECT_TRUE(
      has(r.out + r.err, "fixture-args-initfail: init failed (unauthenticated): no API key"))
      << r.out << r.err;
}

TEST_F(PluginArgs, HelpShowsEachActionsOptionsWithTheirHelp) {
  auto r = host("args", "--help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "  fixture-args: show mistyped refuse refuse-silently\n")) << r.out;
  EXPECT_TRUE(has(r.out, "    show --title <string>  the title\n")) << r.out;
  EXPECT_TRUE(has(r.out, "    show --count <integer>\n")) << r.out;
}

TEST_F(PluginArgs, APluginBuiltForAbiOneZeroStillLoadsAndRuns) {
  auto list = host("abi_1_0", "plugins list --json");
  ASSERT_EQ(list.code, 0) << list.err;
  std::string abi;
  const json::value listed = json::parse(list.out);
  for (const auto &p : listed.as_array())
    if (p.at("id") == "fixture-abi-1-0") abi = std::string(p.at("abi").as_string());
  EXPECT_EQ(abi, "1.0") << list.out;
  auto r = host("abi_1_0", "--plugin fixture-abi-1-0 echo --text hi");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("options").at("text"), "hi");
}
