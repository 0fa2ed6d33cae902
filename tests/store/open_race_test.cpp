// Many processes opening one store at the same moment: a new file, an old one (in rollback
// journal mode, several migrations behind) and a current one. Every process succeeds, the file
// ends in WAL mode at the latest version, and each migration step was applied by exactly one
// of them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "sqlite/sibling_lock.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

namespace automuse::store {
namespace {

namespace fs = std::filesystem;
using automuse::testing::TempFolder;

constexpr int kProcesses = 8;

struct Opener {
  pid_t pid = -1;
  int report = -1;  // read end: the versions the child applied, as "1 2 3 "
};

// Child side: waits at the gate, opens the store, adds an account, reports what it applied.
[[noreturn]] void open_at_gate(const fs::path &file, int gate, int report, int index) {
  char c;
  if (read(gate, &c, 1) != 0) _exit(4);  // returns 0 when the parent closes the gate
  try {
    Store store(file);
    store.add_account({"twitter", "opener" + std::to_string(index), {}, {}, {}, {}, {}}, nullptr);
    std::string applied;
    for (int v : store.migrations_applied()) applied += std::to_string(v) + " ";
    if (write(report, applied.data(), applied.size()) != static_cast<ssize_t>(applied.size()))
      _exit(3);
  } catch (const std::exception &e) {
    fprintf(stderr, "opener %d: %s\n", index, e.what());
    _exit(1);
  }
  _exit(0);
}

std::string read_all(int fd) {
  std::string out;
  char buf[256];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

// Forks kProcesses openers held at one gate, releases them together and waits for them all.
// Returns how many times each migration version was applied, summed over the processes.
std::map<int, int> open_together(const fs::path &file) {
  int gate[2];
  EXPECT_EQ(pipe(gate), 0);
  std::vector<Opener> openers;
  for (int i = 0; i < kProcesses; ++i) {
    int report[2];
    EXPECT_EQ(pipe(report), 0);
    pid_t pid = fork();
    if (pid == 0) {
      close(gate[1]);
      close(report[0]);
      open_at_gate(file, gate[0], report[1], i);
    }
    EXPECT_GT(pid, 0);
    close(report[1]);
    openers.push_back({pid, report[0]});
  }
  close(gate[0]);
  close(gate[1]);  // all go
  std::map<int, int> applied;
  for (const Opener &o : openers) {
    std::string text = read_all(o.report);
    close(o.report);
    for (size_t at = 0, end; (end = text.find(' ', at)) != std::string::npos; at = end + 1)
      ++applied[std::stoi(text.substr(at, end - at))];
    int status = 0;
    EXPECT_EQ(waitpid(o.pid, &status, 0), o.pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "an opener failed (status " << status << "); its message is above";
  }
  return applied;
}

std::vector<int64_t> recorded_versions(Db &db) {
  std::vector<int64_t> out;
  Stmt s(db, "SELECT version FROM schema_version ORDER BY version");
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

std::string schema_of(Db &db) {
  std::string out;
  Stmt s(db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name");
  while (s.step()) out += s.text(0) + " " + s.text(1) + ": " + s.text(2) + "\n";
  return out;
}

std::string journal_mode(Db &db) {
  Stmt s(db, "PRAGMA journal_mode");
  s.step();
  return s.text(0);
}

// The schema a store migrated by one process alone has.
std::string reference_schema() {
  TempFolder tmp;
  Store alone(tmp / "alone.db");
  Db db(tmp / "alone.db");
  return schema_of(db);
}

// The file after the race: WAL, every version once, the full schema, one account per opener.
void expect_complete(const fs::path &file) {
  std::vector<int64_t> all;
  for (int v = 1; v <= latest_schema_version(); ++v) all.push_back(v);
  Db db(file);
  EXPECT_EQ(journal_mode(db), "wal");
  EXPECT_EQ(recorded_versions(db), all);
  EXPECT_EQ(schema_of(db), reference_schema());
  Store store(file);
  EXPECT_TRUE(store.migrations_applied().empty());
  EXPECT_EQ(store.integrity_check(), "ok");
  EXPECT_EQ(store.list_accounts().size(), static_cast<size_t>(kProcesses));
}

TEST(OpenRace, ProcessesOpeningANewStoreTogetherAllSucceed) {
  TempFolder tmp;
  fs::path file = tmp / "data" / "automuse.db";  // neither the file nor its folder exists yet
  std::map<int, int> applied = open_together(file);
  std::map<int, int> once;
  for (int v = 1; v <= latest_schema_version(); ++v) once[v] = 1;
  EXPECT_EQ(applied, once) << "each migration must be applied by exactly one process";
  expect_complete(file);
}

TEST(OpenRace, ProcessesUpgradingAnOldStoreTogetherApplyEachStepOnce) {
  TempFolder tmp;
  fs::path file = tmp / "automuse.db";
  constexpr int kOldVersion = 3;
  {
    // An older build's file, left in rollback-journal mode so the switch to WAL races too.
    Db db(file);
    migrate(db, kOldVersion);
    db.exec("PRAGMA journal_mode=DELETE");
    ASSERT_EQ(journal_mode(db), "delete");
  }
  std::map<int, int> applied = open_together(file);
  std::map<int, int> once;
  for (int v = kOldVersion + 1; v <= latest_schema_version(); ++v) once[v] = 1;
  EXPECT_EQ(applied, once) << "each missing step once, the ones already there never";
  expect_complete(file);
}

TEST(OpenRace, ProcessesOpeningACurrentStoreTogetherChangeNothing) {
  TempFolder tmp;
  fs::path file = tmp / "automuse.db";
  { Store created(file); }  // created and migrated alone
  std::map<int, int> applied = open_together(file);
  EXPECT_TRUE(applied.empty());
  expect_complete(file);
}

// The switch to WAL upgrades the opener's read lock to a write lock, and SQLite reports another
// process's write lock there at once instead of calling the busy handler (two openers of a file
// not yet in WAL mode meet this). The opener must wait, not fail.
TEST(OpenRace, SwitchToWalWaitsForAnotherProcessWriting) {
  TempFolder tmp;
  fs::path file = tmp / "automuse.db";
  {
    Db db(file);
    migrate(db);
    db.exec("PRAGMA journal_mode=DELETE");  // as an older tool may leave it
  }
  int writing[2];
  ASSERT_EQ(pipe(writing), 0);
  pid_t writer = fork();
  ASSERT_GE(writer, 0);
  if (writer == 0) {
    close(writing[0]);
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) _exit(1);
    // A write transaction holds the RESERVED lock until COMMIT.
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) _exit(2);
    char c = 'w';
    if (write(writing[1], &c, 1) != 1) _exit(3);
    usleep(300 * 1000);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    _exit(0);
  }
  close(writing[1]);
  char c = 0;
  ASSERT_EQ(read(writing[0], &c, 1), 1) << "the writer could not start";
  close(writing[0]);
  try {
    Store store(file);  // while the writer holds its lock
    store.add_account({"twitter", "after-the-writer", {}, {}, {}, {}, {}}, nullptr);
  } catch (const std::exception &e) {
    ADD_FAILURE() << e.what();
  }
  int status = 0;
  ASSERT_EQ(waitpid(writer, &status, 0), writer);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  Db db(file);
  EXPECT_EQ(journal_mode(db), "wal");
}

// A process stopped while opening the file (it holds the lock) makes the others give up after
// their patience, with a message naming the lock file, rather than wait for ever.
TEST(OpenRace, AHeldOpeningLockFailsClearlyAfterThePatience) {
  TempFolder tmp;
  fs::path file = tmp / "automuse.db";
  sqlite::SiblingLock held(file, std::chrono::milliseconds(0));
  try {
    sqlite::SiblingLock waiting(file, std::chrono::milliseconds(50));
    ADD_FAILURE() << "two holders of the opening lock";
  } catch (const StoreError &e) {
    EXPECT_NE(std::string(e.what()).find((tmp / "automuse.db.lock").string()), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace automuse::store
