// tests/publish/publish_host_test.cpp — a publisher plugin loaded on demand, through the real
// automuse-host: fixture-sharer asks for fixture-publisher from its job's thread, as the
// youtube plugin's --also-publish does; the publisher's init must still run on the host's
// main thread (plugin.h), also while other jobs run and finish around a slow init.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/host_process.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::run_host;

class OnDemandPublisher : public ::testing::Test {
 protected:
  void SetUp() override { config("{}"); }
  void config(const std::string &text) { std::ofstream(root_ / "automuse.json") << text; }
  automuse::testing::HostResult host(const std::string &args) {
    return run_host(automuse::testing::host_exe(HOST_EXE), SHARE_FIXTURES, root_, args);
  }
  // The publisher's answer as the sharer returned it: its init thread, pid and the text.
  static void expect_init_on_main(const json::value &result, const std::string &text) {
    EXPECT_EQ(result.at("text"), json::value(text)) << result;
    EXPECT_EQ(result.at("init_on_main"), json::value(true)) << result;
    EXPECT_EQ(result.at("init_tid"), result.at("pid")) << "the main thread's id is the process id";
  }
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

TEST_F(OnDemandPublisher, ItsInitRunsOnTheMainThread) {
  auto r = host("--plugin fixture-sharer share --via fixture-publisher --text hello");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  expect_init_on_main(json::parse(r.out), "hello");
}

TEST_F(OnDemandPublisher, ManyJobsShareThroughASlowInitWithoutADeadlock) {
  // The init takes 400 ms on the main thread while four jobs ask for the publisher, and
  // finish, around it: the main thread must keep serving them without blocking on them.
  config(R"({"plugins": {"fixture-publisher": {"init_ms": 400}}})");
  for (const char *name : {"a", "b", "c", "d"})
    ASSERT_EQ(host(std::string("accounts add --plugin fixture-sharer --nickname ") + name).code, 0);
  // --again: the four share one text to one place, which the ledger would otherwise answer
  // from its first publication; here every job must reach the publisher.
  auto r = host(
      "--plugin fixture-sharer share --accounts all --via fixture-publisher --text hi --again");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::istringstream lines(r.out);
  std::set<std::string> accounts;
  std::set<int64_t> init_threads;
  for (std::string line; std::getline(lines, line);) {
    const json::value v = json::parse(line);
    EXPECT_EQ(v.at("status"), "ok") << line;
    accounts.insert(std::string(v.at("account").as_string()));
    expect_init_on_main(v.at("result"), "hi");
    init_threads.insert(v.at("result").at("init_tid").as_int64());
  }
  EXPECT_EQ(accounts, (std::set<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(init_threads.size(), 1u) << "loaded once, shared by every job";
}

TEST_F(OnDemandPublisher, AnUnknownPublisherIsNamed) {
  auto r = host("--plugin fixture-sharer share --via fixture-nobody --text hello");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.err.find("no publisher 'fixture-nobody'"), std::string::npos) << r.err;
}

}  // namespace
