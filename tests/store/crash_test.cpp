// Crash safety and multi-process use on a real file: a writer killed with SIGKILL in the middle
// of a stream of multi-statement writes leaves a consistent database with no partial record;
// two processes writing at once both succeed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "store/migrations.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::store {
namespace {

using automuse::testing::TempFolder;
constexpr int kSecretsPerAccount = 3;

// One "record" spans three tables: an account, its secrets and a history row. Child side.
[[noreturn]] void write_forever(const std::filesystem::path &file, int report_fd) {
  try {
    Store store(file);
    for (int i = 0;; ++i) {
      store.transaction([&] {
        NewAccount in{"youtube",
                      "acc" + std::to_string(getpid()) + "-" + std::to_string(i),
                      {{"niche", std::string(200, 'n')}},
                      {},
                      {},
                      {},
                      {}};
        for (int s = 0; s < kSecretsPerAccount; ++s) {
          in.secrets["secret" + std::to_string(s)] = std::string(100, 's');
        }
        Account a = store.add_account(std::move(in), nullptr);
        store.add_history({.account_id = a.id, .kind = "video", .title = a.nickname});
      });
      char c = 1;  // one byte per committed record
      if (write(report_fd, &c, 1) != 1) _exit(3);
    }
  } catch (const std::exception &e) {
    fprintf(stderr, "writer: %s\n", e.what());
    _exit(2);
  }
}

TEST(CrashSafety, SigkillMidStreamLeavesNoPartialRecord) {
  TempFolder tmp;
  auto file = tmp / "automuse.db";
  int64_t committed_total = 0;
  // Several rounds, killed after different amounts of work, to land inside transactions.
  for (int round = 0; round < 4; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      write_forever(file, fds[1]);
    }
    close(fds[1]);
    int64_t committed = 0;
    char buf[64];
    while (committed < 20 + round * 15) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      ASSERT_GT(n, 0) << "writer died early";
      committed += n;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(300 * round));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
    while (true) {  // count what was reported before the kill
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      committed += n;
    }
    close(fds[0]);
    committed_total += committed;

    Store store(file);
    ASSERT_EQ(store.integrity_check(), "ok") << "round " << round;
    auto accounts = store.list_accounts();
    // Every commit the writer saw finish is there (WAL survives a process crash) …
    EXPECT_GE(static_cast<int64_t>(accounts.size()), committed_total);
    // … and nothing else but whole records: each account has all its secrets and its history.
    for (const Account &a : accounts) {
      ASSERT_EQ(store.secret_names(a.id).size(), static_cast<size_t>(kSecretsPerAccount))
          << a.nickname;
      ASSERT_EQ(store.list_history({.account_id = a.id}).size(), 1u) << a.nickname;
    }
    EXPECT_EQ(store.count_history(), static_cast<int64_t>(accounts.size()));
    committed_total = static_cast<int64_t>(accounts.size());
  }
}

// The worst moment: a transaction big enough that SQLite has already spilled its uncommitted
// pages into the WAL file when the process dies. Recovery must ignore those frames.
TEST(CrashSafety, SigkillWithUncommittedPagesInTheWal) {
  TempFolder tmp;
  auto file = tmp / "automuse.db";
  constexpr int kCommitted = 10;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    try {
      Store store(file);
      for (int i = 0; i < kCommitted; ++i) {
        store.transaction([&] {
          Account a = store.add_account({"youtube", "done" + std::to_string(i), {}, {}, {}, {}, {}},
                                        nullptr);
          store.add_history({.account_id = a.id, .title = a.nickname});
        });
      }
      store.transaction([&] {
        Account a = store.add_account({"youtube", "in-flight", {}, {}, {}, {}, {}}, nullptr);
        // ~4 MB: more than SQLite's default 2 MB page cache, so pages go to the WAL early.
        for (int i = 0; i < 4000; ++i) {
          store.add_history({.account_id = a.id, .body = std::string(1000, 'x')});
        }
        char c = 'b';
        if (write(fds[1], &c, 1) != 1) _exit(3);
        pause();  // killed here, transaction open
      });
    } catch (const std::exception &e) {
      fprintf(stderr, "writer: %s\n", e.what());
    }
    _exit(2);
  }
  close(fds[1]);
  char c = 0;
  ASSERT_EQ(read(fds[0], &c, 1), 1) << "writer failed before its big transaction";
  close(fds[0]);
  // Uncommitted frames really are in the WAL file at the moment of the kill.
  EXPECT_GT(std::filesystem::file_size(tmp / "automuse.db-wal"), 1000000u);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));

  Store store(file);
  EXPECT_EQ(store.integrity_check(), "ok");
  EXPECT_EQ(store.list_accounts().size(), static_cast<size_t>(kCommitted));
  EXPECT_EQ(store.count_history(), kCommitted);
  EXPECT_THROW(store.resolve_account("in-flight"), NotFound);
}

TEST(MultiProcess, TwoWritersAtOnceBothSucceed) {
  TempFolder tmp;
  auto file = tmp / "automuse.db";  // not created yet: both also race to create and migrate it
  constexpr int kRecords = 150;
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  pid_t pids[2];
  for (int w = 0; w < 2; ++w) {
    pids[w] = fork();
    ASSERT_GE(pids[w], 0);
    if (pids[w] == 0) {
      close(go[1]);
      char c;
      if (read(go[0], &c, 1) != 0) _exit(4);  // wait until the parent closes the pipe
      try {
        Store store(file);
        Account a = store.add_account({"twitter", "writer" + std::to_string(w), {}, {}, {}, {}, {}},
                                      nullptr);
        for (int i = 0; i < kRecords; ++i) {
          store.add_history({.account_id = a.id, .kind = "post", .body = std::to_string(i)});
          if (i % 10 == 0) store.list_history({.limit = 5});  // readers interleave too
        }
      } catch (const std::exception &e) {
        fprintf(stderr, "writer %d: %s\n", w, e.what());
        _exit(1);
      }
      _exit(0);
    }
  }
  close(go[0]);
  close(go[1]);  // start both
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  Store store(file);
  EXPECT_EQ(store.integrity_check(), "ok");
  EXPECT_EQ(store.list_accounts().size(), 2u);
  EXPECT_EQ(store.count_history(), 2 * kRecords);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
}

}  // namespace
}  // namespace automuse::store
