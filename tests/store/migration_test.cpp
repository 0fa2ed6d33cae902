// Versioned migrations, on both backends: a database from an older schema upgrades in place
// keeping its data; one from a newer AutoMuse and a foreign database are refused clearly (and a
// file that is not a database at all, on SQLite).
#include <gtest/gtest.h>

#include "store/migrations.hpp"
#include "store/store.hpp"
#include "support/store_backends.hpp"
#include "support/temp_folder.hpp"

namespace automuse::store {
namespace {

using automuse::testing::TempFolder;

class Migrations : public automuse::testing::BackendTest {
 protected:
  // Runs raw SQL outside the store's migrations, as an older AutoMuse (or another program)
  // would.
  void raw_exec(const std::string &sql) {
    Db db(location());
    db.exec(sql);
  }
};
AUTOMUSE_ON_BOTH_BACKENDS(Migrations);

// The schema as AutoMuse's first release (version 1) wrote it, with some data in it.
constexpr const char *kVersion1Database = R"sql(
  CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL);
  CREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY, plugin_id TEXT NOT NULL,
    nickname TEXT NOT NULL, fields TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL, UNIQUE (plugin_id, nickname));
  CREATE TABLE secrets (account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL, value TEXT NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, name));
  CREATE TABLE history (id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT REFERENCES accounts(id) ON DELETE SET NULL, plugin_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('video', 'post', 'pitch')),
    title TEXT, body TEXT, local_file TEXT, remote_id TEXT, remote_url TEXT,
    status TEXT NOT NULL CHECK (status IN ('generated', 'published', 'failed')),
    error TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
  CREATE INDEX history_by_account ON history (account_id, created_at);
  CREATE INDEX history_by_plugin ON history (plugin_id, created_at);
  INSERT INTO schema_version VALUES (1, 1700000000);
  INSERT INTO accounts VALUES ('acc-1', 'youtube', 'cooking', '{"niche":"food"}', 1700000000,
    1700000000);
  INSERT INTO secrets VALUES ('acc-1', 'client_secret', 'abc', 1700000000);
  INSERT INTO history VALUES ('h-1', 'acc-1', 'youtube', 'video', 'Pasta', NULL, NULL, 'vid1',
    'https://youtu.be/vid1', 'published', NULL, 1700000100, 1700000100);
)sql";

TEST_P(Migrations, OlderDatabaseUpgradesInPlace) {
  raw_exec(kVersion1Database);

  Store store(location());
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 2);  // at least what this test's data needs
  auto a = store.get_account("acc-1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->nickname, "cooking");
  EXPECT_EQ(a->fields.at("niche"), "food");
  EXPECT_TRUE(a->extra.empty());  // new column, default filled
  EXPECT_EQ(store.get_secret("acc-1", "client_secret"), "abc");
  auto h = store.get_history("h-1");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->remote_url, "https://youtu.be/vid1");
  // What version 2 added works on the upgraded file.
  store.add_product({.asin = "B000000001"});
  store.add_history({.plugin_id = "youtube", .title = "new", .origin_key = "k"});
  EXPECT_TRUE(store.has_origin("k"));
  EXPECT_EQ(store.integrity_check(), "ok");
}

TEST_P(Migrations, StepsCanStopAtAVersionAndResume) {
  {
    Db db(location());
    migrate(db, 1);
    EXPECT_EQ(read_schema_version(db), 1);
  }
  Store store(location());
  EXPECT_EQ(store.schema_version(), latest_schema_version());
}

TEST_P(Migrations, NewerDatabaseIsRefusedAndLeftAlone) {
  std::string described;
  {
    Store store(location());
    described = store.describe();
  }
  const int future = latest_schema_version() + 1;
  raw_exec("INSERT INTO schema_version VALUES (" + std::to_string(future) +
           ", 1800000000); CREATE TABLE future (x TEXT);");
  try {
    Store store(location());
    FAIL() << "opened a database from a newer AutoMuse";
  } catch (const StoreError &e) {
    EXPECT_EQ(std::string(e.what()), described + " has schema version " + std::to_string(future) +
                                         ", but this automuse-host only knows "
                                         "versions up to " +
                                         std::to_string(latest_schema_version()) +
                                         ". It was written by a newer AutoMuse; upgrade "
                                         "automuse-host (the store was left untouched).");
  }
  Db db(location());
  EXPECT_EQ(read_schema_version(db), future);
}

TEST_P(Migrations, ForeignDatabasesAreRefused) {
  raw_exec("CREATE TABLE notes (t TEXT)");
  try {
    Store store(location());
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_NE(std::string(e.what()).find("not an AutoMuse store"), std::string::npos) << e.what();
  }
  Db db(location());
  EXPECT_EQ(db.table_names(), std::vector<std::string>{"notes"});  // left alone
}

// SQLite only: a file that is not a database.
TEST(MigrationsOnSqlite, NonDatabaseFilesAreRefused) {
  TempFolder tmp;
  auto junk = tmp / "junk.db";
  automuse::testing::write_file(junk, std::string(4096, 'x'));
  try {
    Store store(junk);
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_NE(std::string(e.what()).find(junk.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a database"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace automuse::store
