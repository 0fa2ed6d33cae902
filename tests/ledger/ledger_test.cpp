// The publication ledger on a real store: intents, forward-only transitions, one row per
// content and target, --again, and the accounts' nicknames.
#include <gtest/gtest.h>

#include "ledger/publication_ledger.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::ledger {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  testing::TempFolder dir;
  std::filesystem::path file = dir / "automuse.db";
  store::Store store{file};
  PublicationLedger ledger{file};

  Intent intent(std::string job, std::string digest, bool again = false) {
    Intent i;
    i.job_id = std::move(job);
    i.plugin_id = "youtube";
    i.account_id = "acc-1";
    i.target = "youtube";
    i.digest = std::move(digest);
    i.summary = "A title";
    i.again = again;
    return i;
  }
};

TEST_F(LedgerTest, IntentMovesForwardToPublished) {
  auto first = ledger.intend(intent("job-1", "d1"));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.row.state, State::intended);
  EXPECT_EQ(first.row.summary, "A title");
  auto up = ledger.uploading(first.row.id, R"({"session":"https://x/s/1"})");
  EXPECT_EQ(up.state, State::uploading);
  up = ledger.uploading(first.row.id, R"({"session":"https://x/s/1","at":5})");
  EXPECT_EQ(up.resume_json, R"({"session":"https://x/s/1","at":5})");
  auto done = ledger.published(first.row.id, "vid1", "https://youtube.com/shorts/vid1");
  EXPECT_EQ(done.state, State::published);
  auto read = ledger.get(first.row.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->remote_id, "vid1");
  EXPECT_EQ(read->url, "https://youtube.com/shorts/vid1");
  EXPECT_EQ(read->resume_json, R"({"session":"https://x/s/1","at":5})");
}

TEST_F(LedgerTest, TransitionsNeverGoBack) {
  auto p = ledger.intend(intent("job-1", "d1")).row;
  ledger.published(p.id, "v", "u");
  EXPECT_THROW(ledger.uploading(p.id, "{}"), LedgerError);
  EXPECT_THROW(ledger.failed(p.id, "x"), LedgerError);
  EXPECT_THROW(ledger.uncertain(p.id, "x"), LedgerError);
  EXPECT_EQ(ledger.get(p.id)->state, State::published);
  auto q = ledger.intend(intent("job-1", "d2")).row;
  ledger.failed(q.id, "quota");
  EXPECT_THROW(ledger.published(q.id, "v", "u"), LedgerError);
  EXPECT_THROW(ledger.published(999, "v", "u"), LedgerError);
}

TEST_F(LedgerTest, UncertainIsSettledLater) {
  auto p = ledger.intend(intent("job-1", "d1")).row;
  ledger.uncertain(p.id, "look for the post on the account's timeline");
  EXPECT_THROW(ledger.uploading(p.id, "{}"), LedgerError);
  auto settled = ledger.published(p.id, "v", "u");
  EXPECT_EQ(settled.state, State::published);
  EXPECT_EQ(settled.note, "look for the post on the account's timeline");
}

TEST_F(LedgerTest, SameContentContinuesTheSameRowAcrossJobs) {
  auto first = ledger.intend(intent("job-1", "d1")).row;
  ledger.uploading(first.id, R"({"session":"s"})");
  auto again = ledger.intend(intent("job-2", "d1"));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.row.id, first.id);
  EXPECT_EQ(again.row.state, State::uploading);
  EXPECT_EQ(again.row.resume_json, R"({"session":"s"})");
  ledger.published(first.id, "v", "u");
  auto later = ledger.intend(intent("job-3", "d1"));
  EXPECT_FALSE(later.created);
  EXPECT_EQ(later.row.state, State::published);
  EXPECT_EQ(later.row.url, "u");
  // Other content, or the same content elsewhere, is a publication of its own.
  EXPECT_TRUE(ledger.intend(intent("job-3", "d2")).created);
  Intent other = intent("job-3", "d1");
  other.target = "twitter";
  EXPECT_TRUE(ledger.intend(other).created);
  EXPECT_EQ(ledger.list().size(), 3u);
}

TEST_F(LedgerTest, AFailureMayBeRetriedWithANewRow) {
  auto first = ledger.intend(intent("job-1", "d1")).row;
  ledger.failed(first.id, "quota exceeded");
  auto retry = ledger.intend(intent("job-2", "d1"));
  EXPECT_TRUE(retry.created);
  EXPECT_GT(retry.row.id, first.id);
}

TEST_F(LedgerTest, AgainPublishesAnewButResumesItsOwnJob) {
  auto first = ledger.intend(intent("job-1", "d1")).row;
  ledger.published(first.id, "v", "u");
  auto again = ledger.intend(intent("job-2", "d1", true));
  EXPECT_TRUE(again.created);
  ledger.uploading(again.row.id, "{}");
  auto resumed = ledger.intend(intent("job-2", "d1", true));
  EXPECT_FALSE(resumed.created);
  EXPECT_EQ(resumed.row.id, again.row.id);
}

TEST_F(LedgerTest, RefusesAnIntentWithoutContent) {
  EXPECT_THROW(ledger.intend(intent("job-1", "")), LedgerError);
}

TEST_F(LedgerTest, NamesAccountsByNickname) {
  store::NewAccount a;
  a.plugin_id = "twitter";
  a.nickname = "chef";
  auto added = store.add_account(a, nullptr);
  EXPECT_EQ(ledger.account_id_of("twitter", "chef"), added.id);
  EXPECT_EQ(ledger.account_id_of("twitter", added.id), added.id);
  EXPECT_EQ(ledger.account_id_of("youtube", "chef"), "chef");
}

TEST_F(LedgerTest, TwoConnectionsShareOneLedger) {
  PublicationLedger other(file);
  auto p = ledger.intend(intent("job-1", "d1")).row;
  auto seen = other.intend(intent("job-2", "d1"));
  EXPECT_FALSE(seen.created);
  EXPECT_EQ(seen.row.id, p.id);
  EXPECT_EQ(store.integrity_check(), "ok");
}

}  // namespace
}  // namespace automuse::ledger
