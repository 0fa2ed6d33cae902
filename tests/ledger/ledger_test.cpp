// The publication ledger on a real store, SQLite and PostgreSQL: intents, forward-only
// transitions, one row per content and target, --again, the accounts' nicknames, and writers
// on several connections at once (ids unique, one row per content).
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "ledger/publication_ledger.hpp"
#include "store/store.hpp"
#include "support/store_backends.hpp"

namespace automuse::ledger {
namespace {

class LedgerTest : public testing::BackendTest {
 protected:
  store::Store store{location()};
  PublicationLedger ledger{location()};

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
AUTOMUSE_ON_BOTH_BACKENDS(LedgerTest);

TEST_P(LedgerTest, IntentMovesForwardToPublished) {
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

TEST_P(LedgerTest, TransitionsNeverGoBack) {
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

TEST_P(LedgerTest, UncertainIsSettledLater) {
  auto p = ledger.intend(intent("job-1", "d1")).row;
  ledger.uncertain(p.id, "look for the post on the account's timeline");
  EXPECT_THROW(ledger.uploading(p.id, "{}"), LedgerError);
  auto settled = ledger.published(p.id, "v", "u");
  EXPECT_EQ(settled.state, State::published);
  EXPECT_EQ(settled.note, "look for the post on the account's timeline");
}

TEST_P(LedgerTest, SameContentContinuesTheSameRowAcrossJobs) {
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

TEST_P(LedgerTest, AFailureMayBeRetriedWithANewRow) {
  auto first = ledger.intend(intent("job-1", "d1")).row;
  ledger.failed(first.id, "quota exceeded");
  auto retry = ledger.intend(intent("job-2", "d1"));
  EXPECT_TRUE(retry.created);
  EXPECT_GT(retry.row.id, first.id);
}

TEST_P(LedgerTest, AgainPublishesAnewButResumesItsOwnJob) {
  auto first = ledger.intend(intent("job-1", "d1")).row;
  ledger.published(first.id, "v", "u");
  auto again = ledger.intend(intent("job-2", "d1", true));
  EXPECT_TRUE(again.created);
  ledger.uploading(again.row.id, "{}");
  auto resumed = ledger.intend(intent("job-2", "d1", true));
  EXPECT_FALSE(resumed.created);
  EXPECT_EQ(resumed.row.id, again.row.id);
}

TEST_P(LedgerTest, RefusesAnIntentWithoutContent) {
  EXPECT_THROW(ledger.intend(intent("job-1", "")), LedgerError);
}

TEST_P(LedgerTest, NamesAccountsByNickname) {
  store::NewAccount a;
  a.plugin_id = "twitter";
  a.nickname = "chef";
  auto added = store.add_account(a, nullptr);
  EXPECT_EQ(ledger.account_id_of("twitter", "chef"), added.id);
  EXPECT_EQ(ledger.account_id_of("twitter", added.id), added.id);
  EXPECT_EQ(ledger.account_id_of("youtube", "chef"), "chef");
}

TEST_P(LedgerTest, TwoConnectionsShareOneLedger) {
  PublicationLedger other(location());
  auto p = ledger.intend(intent("job-1", "d1")).row;
  auto seen = other.intend(intent("job-2", "d1"));
  EXPECT_FALSE(seen.created);
  EXPECT_EQ(seen.row.id, p.id);
  EXPECT_EQ(store.integrity_check(), "ok");
}

// Writers on their own connections at once (processes or hosts): the ids the ledger assigns
// (MAX + 1 in its write transaction) never collide, and the same content gets one row.
TEST_P(LedgerTest, ConcurrentWritersGetUniqueIdsAndOneRowPerContent) {
  constexpr int kWriters = 4, kEach = 15;
  std::vector<std::vector<int64_t>> ids(kWriters);
  std::vector<int> created_shared(kWriters, 0);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      PublicationLedger mine(location());
      for (int i = 0; i < kEach; ++i) {
        auto own = mine.intend(
            intent("job-" + std::to_string(w), "d" + std::to_string(w) + "-" + std::to_string(i)));
        ids[static_cast<size_t>(w)].push_back(own.row.id);
        if (mine.intend(intent("job-" + std::to_string(w), "shared")).created) {
          ++created_shared[static_cast<size_t>(w)];
        }
      }
    });
  }
  for (auto &t : writers) t.join();
  std::set<int64_t> unique;
  for (const auto &list : ids) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kWriters * kEach));
  int shared_rows = 0;
  for (int n : created_shared) shared_rows += n;
  EXPECT_EQ(shared_rows, 1);
  EXPECT_EQ(ledger.list().size(), static_cast<size_t>(kWriters * kEach + 1));
}

}  // namespace
}  // namespace automuse::ledger
