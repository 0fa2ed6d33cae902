// tests/app/cli_redaction_test.cpp — what automuse-host prints passes through the redactor: an
// action's error and result (stdout, stderr), the `runs` it recorded, the `history` and
// `publications` it shows, for a secret the host knows (an API key in automuse.json) and for one it
// can only recognise by its shape (refresh_token=...).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/host_process.hpp"
#include "support/sandbox_store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::testing {
namespace {

constexpr const char *kConfigKey = "leaky-config-key-7d41e0";   // automuse.json, below
constexpr const char *kRefreshToken = "1//leaky-refresh-55aa";  // the fixture's message

class CliRedaction : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(root_ / "automuse.json")
        << R"({"plugins": {"fixture-leaky": {"api_key": ")" << kConfigKey << R"("}}})";
  }
  HostResult host(const std::string &args) {
    return run_host(HOST_EXE, LEAKY_PLUGIN_DIR, root_, args);
  }
  // Neither secret anywhere in what the host printed.
  static void expect_clean(const HostResult &r) {
    for (const std::string &text : {r.out, r.err}) {
      EXPECT_EQ(text.find(kConfigKey), std::string::npos) << text;
      EXPECT_EQ(text.find(kRefreshToken), std::string::npos) << text;
    }
  }
  // A row as a plugin may have written it before redaction was complete.
  void insert(const std::string &sql) {
    store::Db db(sandbox_store(root_.path()));
    EXPECT_NO_THROW(db.exec(sql));
  }
  TempFolder root_;
};

TEST_F(CliRedaction, ActionErrorPrintedRedacted) {
  HostResult r = host("--plugin fixture-leaky fail");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("token refresh failed for key ***"), std::string::npos) << r.err;
  expect_clean(r);
}

TEST_F(CliRedaction, ActionResultPrintedRedacted) {
  HostResult r = host(std::string("--plugin fixture-leaky echo --set note=") + kConfigKey);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("note":"***")"), std::string::npos) << r.out;
  expect_clean(r);
}

TEST_F(CliRedaction, RunsPrintedRedacted) {
  host("--plugin fixture-leaky fail");
  host(std::string("--plugin fixture-leaky echo --set note=") + kConfigKey);
  for (const char *args : {"runs", "runs --json"}) {
    HostResult r = host(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("fixture-leaky"), std::string::npos) << r.out;
    expect_clean(r);
  }
}

// A history row as a plugin may have written it before redaction was complete: the output
// redacts it, whatever is stored.
TEST_F(CliRedaction, HistoryPrintedRedacted) {
  ASSERT_EQ(host("runs").code, 0);  // creates the database
  insert(std::string("INSERT INTO history (id, plugin_id, kind, title, body, status, error, "
                     "created_at, updated_at) VALUES ('h1', 'fixture-leaky', 'post', 'a post', "
                     "'posted with ") +
         kConfigKey + "', 'failed', 'refresh answered {\"refresh_token\": \"" + kRefreshToken +
         "\"}', 1700000000, 1700000000)");
  for (const char *args : {"history", "history --json"}) {
    HostResult r = host(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("a post"), std::string::npos) << r.out;
    expect_clean(r);
  }
}

// The ledger's summaries and notes come from plugins: printed redacted, as table and JSON,
// and in the note printed under an uncertain row.
TEST_F(CliRedaction, PublicationsPrintedRedacted) {
  ASSERT_EQ(host("runs").code, 0);  // creates the database
  insert(
      std::string("INSERT INTO accounts (id, plugin_id, nickname, created_at, updated_at) "
                  "VALUES ('a1', 'fixture-leaky', 'main', 1700000000, 1700000000)"));
  insert(std::string("INSERT INTO publications (id, job_id, plugin_id, account_id, target, "
                     "digest, summary, state, note, created_at, updated_at) VALUES (1, 'j1', "
                     "'fixture-leaky', 'a1', 'leaky', 'd1', 'posted with ") +
         kConfigKey + "', 'uncertain', 'the reply was lost: refresh_token=" + kRefreshToken +
         "', 1700000000, 1700000000)");
  for (const char *args : {"publications", "publications --json"}) {
    HostResult r = host(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("uncertain"), std::string::npos) << r.out;
    expect_clean(r);
  }
}

}  // namespace
}  // namespace automuse::testing
