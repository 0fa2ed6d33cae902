// The schedule store on both backends (SQLite and PostgreSQL): schedules and their prefixes,
// firings enqueued once (a NULL last firing compared as a value), runs finished once — and
// slots enqueued from several connections at once, as several daemons or hosts do.
#include "schedule/schedule_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <thread>

#include "schedule/job_queue.hpp"
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
  std::string upper = one.id.substr(0, 12);  // typed in capitals: found on both engines
  for (char &c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_TRUE(schedules.get(upper)) << upper;
  EXPECT_EQ(schedules.get(upper)->id, one.id);
  EXPECT_FALSE(schedules.get("zz"));
  schedules.set_paused(two.id, true);
  EXPECT_TRUE(schedules.get(two.id)->paused);
  EXPECT_EQ(schedules.account_nickname(a.id), "chef");
  EXPECT_TRUE(schedules.remove(two.id));
  EXPECT_FALSE(schedules.remove(two.id));
  EXPECT_EQ(schedules.list().size(), 1u);
}

// A firing is taken from the last firing the daemon saw (NULL compared as a value) and its slot
// enqueued with it, once.
TEST_P(ScheduleStores, AFiringIsEnqueuedOnceFromNullAndFromAValue) {
  JobQueue queue(location());
  Schedule s = schedules.add(every_minute());
  EXPECT_TRUE(queue.enqueue_slot(s, 60, 60));
  EXPECT_FALSE(queue.enqueue_slot(s, 60, 60));  // last_fire_at is no longer NULL
  s.last_fire_at = 0;
  EXPECT_FALSE(queue.enqueue_slot(s, 120, 120));
  s.last_fire_at = 60;
  EXPECT_TRUE(queue.enqueue_slot(s, 120, 120));
  EXPECT_EQ(schedules.get(s.id)->last_fire_at, 120);
  EXPECT_EQ(queue.open_jobs().size(), 2u);
}

TEST_P(ScheduleStores, RunsAreListedAndFinishedOnce) {
  JobRun first = schedules.start_run(run_of(R"({"sets":["a=1"]})"));
  JobRun second = schedules.start_run(run_of(R"({"sets":["a=2"]})"));
  EXPECT_TRUE(schedules.finish_run(first.id, "succeeded", std::nullopt, R"({"ok":true})"));
  EXPECT_FALSE(schedules.finish_run(first.id, "failed", "again", std::nullopt));
  auto runs = schedules.list_runs(10);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(schedules.find_finished("youtube", std::nullopt, "upload", first.request)->id,
            first.id);
  EXPECT_FALSE(schedules.find_finished("youtube", std::nullopt, "upload", second.request));
}

// Daemons on their own connections race for the same slots: each slot is enqueued once.
TEST_P(ScheduleStores, ConcurrentDaemonsEnqueueEachSlotOnce) {
  Schedule s = schedules.add(every_minute());
  constexpr int kDaemons = 4, kSlots = 20;
  std::atomic<int> enqueued[kSlots] = {};
  std::vector<std::thread> daemons;
  for (int d = 0; d < kDaemons; ++d) {
    daemons.emplace_back([&] {
      ScheduleStore mine(location());
      JobQueue queue(location());
      for (int slot = 0; slot < kSlots; ++slot) {
        const int64_t slot_time = int64_t{60} * (slot + 1);
        while (true) {
          Schedule seen = *mine.get(s.id);
          if (seen.last_fire_at.value_or(0) >= slot_time) break;  // someone enqueued it
          if (queue.enqueue_slot(seen, slot_time, slot_time)) ++enqueued[slot];
        }
      }
    });
  }
  for (auto &t : daemons) t.join();
  for (int slot = 0; slot < kSlots; ++slot) EXPECT_EQ(enqueued[slot].load(), 1) << "slot " << slot;
  EXPECT_EQ(JobQueue(location()).open_jobs().size(), static_cast<size_t>(kSlots));
}

}  // namespace
}  // namespace automuse::schedule
