// The schedule store on both backends (SQLite and PostgreSQL): schedules and their prefixes,
// firings claimed once (a NULL last firing compared as a value), runs in order, interrupted
// runs found and claimed once — and claims from several connections at once, as several
// daemons or hosts make them.
#include "schedule/schedule_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/store.hpp"
#include "support/store_backends.hpp"

namespace automuse::schedule {
namespace {

class ScheduleStores : public testing::BackendTest {
 protected:
  store::Store store{location()};  // creates and migrates the database
  ScheduleStore schedules{location()};

  Schedule every_minute(std::optional<std::string> account = {}) {
    Schedule s;
    s.plugin_id = "youtube";
    s.account_id = std::move(account);
    s.action = "upload";
    s.cron = "* * * * *";
    return s;
  }
  JobRun run_of(const std::string &request) {
    JobRun r;
    r.plugin_id = "youtube";
    r.action = "upload";
    r.request = request;
    return r;
  }
};
AUTOMUSE_ON_BOTH_BACKENDS(ScheduleStores);

TEST_P(ScheduleStores, AddListGetByPrefixPauseRemove) {
  store::Account a = store.add_account({"youtube", "chef", {}, {}, {}, {}, {}}, nullptr);
  Schedule one = schedules.add(every_minute(a.id));
  Schedule two = schedules.add(every_minute());
  auto listed = schedules.list();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(schedules.get(one.id)->account_id, a.id);
  EXPECT_EQ(schedules.get(one.id.substr(0, 12))->id, one.id);
  EXPECT_FALSE(schedules.get("zz"));
  schedules.set_paused(two.id, true);
  EXPECT_TRUE(schedules.get(two.id)->paused);
  EXPECT_EQ(schedules.account_nickname(a.id), "chef");
  EXPECT_TRUE(schedules.remove(two.id));
  EXPECT_FALSE(schedules.remove(two.id));
  EXPECT_EQ(schedules.list().size(), 1u);
}

TEST_P(ScheduleStores, AFiringIsClaimedOnceFromNullAndFromAValue) {
  Schedule s = schedules.add(every_minute());
  EXPECT_TRUE(schedules.claim_fire(s.id, std::nullopt, 60));
  EXPECT_FALSE(schedules.claim_fire(s.id, std::nullopt, 60));  // no longer NULL
  EXPECT_FALSE(schedules.claim_fire(s.id, 0, 120));
  EXPECT_TRUE(schedules.claim_fire(s.id, 60, 120));
  EXPECT_EQ(schedules.get(s.id)->last_fire_at, 120);
}

TEST_P(ScheduleStores, RunsAreListedAndInterruptedOnesClaimedOnce) {
  JobRun first = schedules.start_run(run_of(R"({"sets":["a=1"]})"));
  JobRun second = schedules.start_run(run_of(R"({"sets":["a=2"]})"));
  schedules.finish_run(first.id, "succeeded", std::nullopt, R"({"ok":true})");
  EXPECT_EQ(schedules.list_runs(10).size(), 2u);
  EXPECT_EQ(schedules.running_runs().size(), 1u);
  EXPECT_TRUE(schedules.interrupt_orphan(second.id, "its process is gone"));
  EXPECT_FALSE(schedules.interrupt_orphan(second.id, "again"));
  auto found = schedules.find_interrupted("youtube", std::nullopt, "upload", second.request);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, second.id);
  EXPECT_EQ(found->error, "its process is gone");
  EXPECT_EQ(schedules.find_finished("youtube", std::nullopt, "upload", first.request)->id,
            first.id);
  EXPECT_TRUE(schedules.claim_interrupted(second.id));
  EXPECT_FALSE(schedules.claim_interrupted(second.id));
  EXPECT_TRUE(schedules.interrupted_runs(false).empty());
}

// Daemons on their own connections race for the same slots: each slot is fired once.
TEST_P(ScheduleStores, ConcurrentClaimsFireEachSlotOnce) {
  Schedule s = schedules.add(every_minute());
  constexpr int kDaemons = 4, kSlots = 20;
  std::atomic<int> fired[kSlots] = {};
  std::vector<std::thread> daemons;
  for (int d = 0; d < kDaemons; ++d) {
    daemons.emplace_back([&] {
      ScheduleStore mine(location());
      for (int slot = 0; slot < kSlots; ++slot) {
        // Each daemon read the slot before as the last firing, as after a firing of its own.
        std::optional<int64_t> seen;
        if (slot > 0) seen = int64_t{60} * slot;
        while (true) {
          auto now = mine.get(s.id)->last_fire_at;
          if (now.value_or(0) >= 60 * (slot + 1)) break;  // someone fired it
          if (now != seen) continue;                      // the previous slot is not fired yet
          if (mine.claim_fire(s.id, seen, int64_t{60} * (slot + 1))) ++fired[slot];
        }
      }
    });
  }
  for (auto &t : daemons) t.join();
  for (int slot = 0; slot < kSlots; ++slot) EXPECT_EQ(fired[slot].load(), 1) << "slot " << slot;
}

}  // namespace
}  // namespace automuse::schedule
