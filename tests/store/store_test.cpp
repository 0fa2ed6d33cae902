// The store on a real SQLite file and on a real PostgreSQL server: accounts (schema
// validation, secrets), history, products, OAuth tokens, permissions.
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "store/migrations.hpp"
#include "store/postgres_sql.hpp"
#include "support/store_backends.hpp"
#include "support/temp_folder.hpp"

namespace automuse::store {
namespace {

namespace json = boost::json;
using automuse::testing::TempFolder;

constexpr const char *kYoutubeSchema = R"({"fields":[
  {"name":"niche","type":"string","required":true},
  {"name":"language","type":"string","default":"English"},
  {"name":"privacy","type":"string","enum":["public","private","unlisted"],"default":"private"},
  {"name":"per_day","type":"integer","minimum":1,"maximum":50},
  {"name":"shorts","type":"boolean"},
  {"name":"client_secret","type":"string","secret":true}
]})";

// The store's tests that hold on either backend.
class Stores : public automuse::testing::BackendTest {};
AUTOMUSE_ON_BOTH_BACKENDS(Stores);

mode_t mode_of(const std::filesystem::path &p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

// SQLite only: file modes.
TEST(Store, CreatesOwnerOnlyFolderAndFile) {
  TempFolder tmp;
  Store store(tmp / "data" / "automuse.db");
  EXPECT_EQ(mode_of(tmp / "data"), 0700u);
  EXPECT_EQ(mode_of(tmp / "data" / "automuse.db"), 0600u);
  // WAL companions exist while the connection is open and copy the file's mode.
  EXPECT_EQ(mode_of(tmp / "data" / "automuse.db-wal"), 0600u);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(store.integrity_check(), "ok");
}

TEST_P(Stores, AddListShowRemoveAccountWithSecrets) {
  Store store(location());
  AccountSchema schema = AccountSchema::parse(kYoutubeSchema, "youtube");
  NewAccount in;
  in.plugin_id = "youtube";
  in.nickname = "cooking";
  in.fields = {{"niche", "quick recipes"}, {"per_day", 3}, {"client_secret", "s3cr3t"}};
  Account a = store.add_account(in, &schema);
  EXPECT_EQ(a.fields.at("language"), "English");  // default filled in
  EXPECT_EQ(a.fields.at("privacy"), "private");
  EXPECT_FALSE(a.fields.contains("client_secret"));  // secrets never in fields
  EXPECT_EQ(store.get_secret(a.id, "client_secret"), "s3cr3t");

  auto listed = store.list_accounts("youtube");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, a.id);
  EXPECT_EQ(listed[0].fields.at("per_day"), 3);
  EXPECT_TRUE(store.list_accounts("twitter").empty());
  EXPECT_EQ(store.resolve_account("cooking").id, a.id);
  EXPECT_EQ(store.resolve_account(a.id).nickname, "cooking");

  // Nickname unique per plugin, but another plugin may reuse it.
  EXPECT_THROW(store.add_account(in, &schema), Conflict);
  NewAccount tw{"twitter", "cooking", {}, {}, {}, {}, {}};
  store.add_account(tw, nullptr);
  EXPECT_THROW(store.resolve_account("cooking"), StoreError);  // ambiguous
  EXPECT_EQ(store.resolve_account("cooking", std::string("youtube")).id, a.id);

  store.add_history({.account_id = a.id, .kind = "video", .title = "Pasta"});
  EXPECT_TRUE(store.remove_account(a.id));
  EXPECT_FALSE(store.get_account(a.id));
  EXPECT_FALSE(store.get_secret(a.id, "client_secret"));
  auto hist = store.list_history({});
  ASSERT_EQ(hist.size(), 1u);  // history outlives the account, detached
  EXPECT_FALSE(hist[0].account_id);
  EXPECT_EQ(hist[0].plugin_id, "youtube");
  EXPECT_FALSE(store.remove_account(a.id));
}

TEST_P(Stores, ValidationErrorsNameAccountAndField) {
  Store store(location());
  AccountSchema schema = AccountSchema::parse(kYoutubeSchema, "youtube");
  auto error_for = [&](json::object fields) -> std::string {
    NewAccount in{"youtube", "travel", std::move(fields), {}, {}, {}, {}};
    try {
      store.add_account(in, &schema);
    } catch (const StoreError &e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_for({}), "account 'travel' (youtube): field 'niche' is required");
  EXPECT_EQ(error_for({{"niche", "x"}, {"privacy", "secret"}}),
            "account 'travel' (youtube): field 'privacy' must be one of public, private, "
            "unlisted; got \"secret\"");
  EXPECT_EQ(error_for({{"niche", "x"}, {"per_day", "three"}}),
            "account 'travel' (youtube): field 'per_day' must be an integer; got \"three\"");
  EXPECT_EQ(error_for({{"niche", "x"}, {"per_day", 99}}),
            "account 'travel' (youtube): field 'per_day' must be at most 50; got 99");
  EXPECT_EQ(error_for({{"niche", "x"}, {"nich", "y"}}),
            "account 'travel' (youtube): unknown field 'nich'; youtube accounts have: niche, "
            "language, privacy, per_day, shorts, client_secret");
  EXPECT_TRUE(store.list_accounts().empty());  // nothing half-written

  EXPECT_EQ(schema.coerce("travel", "shorts", "yes"), json::value(true));
  EXPECT_EQ(schema.coerce("travel", "per_day", "7"), json::value(7));
  EXPECT_THROW(schema.coerce("travel", "per_day", "7x"), StoreError);
}

TEST(Store, SchemaErrorsNameThePath) {
  try {
    AccountSchema::parse(R"({"fields":[{"name":"a"},{"name":"b","type":"str"}]})", "tiktok");
    FAIL() << "accepted an unknown type";
  } catch (const StoreError &e) {
    EXPECT_STREQ(e.what(),
                 "tiktok: account schema $.fields[1].type: unknown type \"str\" (expected "
                 "string, integer, number or boolean)");
  }
  EXPECT_THROW(AccountSchema::parse("{\"fields\": 3}", "x"), StoreError);
  auto from_describe = AccountSchema::parse(
      R"({"description":"d","account_fields":[{"name":"topic","type":"string","required":true,"help":"what to post about"}],"actions":[]})",
      "twitter");
  ASSERT_EQ(from_describe.fields().size(), 1u);
  EXPECT_EQ(from_describe.fields()[0].description, "what to post about");
  EXPECT_THROW(AccountSchema::parse("not json", "x"), StoreError);
  EXPECT_THROW(AccountSchema::parse(R"({"fields":[{"name":"a","enum":[1]}]})", "x"), StoreError);
}

TEST_P(Stores, UpdateFieldsKeepsOthersAndValidates) {
  Store store(location());
  AccountSchema schema = AccountSchema::parse(kYoutubeSchema, "youtube");
  Account a = store.add_account(
      {"youtube", "cooking", {{"niche", "food"}, {"client_secret", "one"}}, {}, {}, {}, {}},
      &schema);
  Account b = store.update_account_fields(a.id, {{"privacy", "public"}}, &schema);
  EXPECT_EQ(b.fields.at("niche"), "food");
  EXPECT_EQ(b.fields.at("privacy"), "public");
  EXPECT_EQ(store.get_secret(a.id, "client_secret"), "one");  // untouched
  store.update_account_fields(a.id, {{"client_secret", "two"}}, &schema);
  EXPECT_EQ(store.get_secret(a.id, "client_secret"), "two");
  EXPECT_FALSE(store.get_account(a.id)->fields.contains("client_secret"));
  EXPECT_THROW(store.update_account_fields(a.id, {{"privacy", "nope"}}, &schema), StoreError);
  EXPECT_EQ(store.get_account(a.id)->fields.at("privacy"), "public");
}

TEST_P(Stores, HistoryFiltersAndUpdates) {
  Store store(location());
  Account yt = store.add_account({"youtube", "a", {}, {}, {}, {}, {}}, nullptr);
  Account tw = store.add_account({"twitter", "b", {}, {}, {}, {}, {}}, nullptr);
  for (int i = 0; i < 5; ++i) {
    store.add_history({.account_id = yt.id,
                       .kind = "video",
                       .title = "v" + std::to_string(i),
                       .created_at = 1000 + i});
  }
  HistoryRecord post =
      store.add_history({.account_id = tw.id, .kind = "post", .body = "hello", .created_at = 2000});
  EXPECT_EQ(post.plugin_id, "twitter");  // taken from the account

  auto yt_hist = store.list_history({.plugin_id = "youtube", .limit = 3});
  ASSERT_EQ(yt_hist.size(), 3u);
  EXPECT_EQ(yt_hist[0].title, "v4");  // newest first
  EXPECT_EQ(store.list_history({.account_id = tw.id}).size(), 1u);
  EXPECT_EQ(store.list_history({.limit = 0}).size(), 6u);

  HistoryRecord up = store.update_history(
      post.id, {.status = "published", .remote_id = "1850", .remote_url = "https://x.com/i/1850"});
  EXPECT_EQ(up.status, "published");
  EXPECT_EQ(store.get_history(post.id)->remote_id, "1850");
  EXPECT_EQ(store.get_history(post.id)->body, "hello");
  EXPECT_THROW(store.update_history(post.id, {.status = "lost"}), StoreError);
  EXPECT_THROW(store.add_history({.plugin_id = "youtube", .kind = "song"}), Conflict);
  EXPECT_THROW(store.update_history("nope", {.status = "failed"}), NotFound);
  EXPECT_EQ(store.count_history(), 6);
}

TEST_P(Stores, ProductsAndOAuthTokens) {
  Store store(location());
  Account tw = store.add_account({"twitter", "deals", {}, {}, {}, {}, {}}, nullptr);
  Product p = store.add_product({.link = "https://amzn.to/abc",
                                 .asin = "B0TEST1234",
                                 .share_plugin_id = "twitter",
                                 .share_account_id = tw.id});
  EXPECT_EQ(store.get_product(p.id)->asin, "B0TEST1234");
  EXPECT_EQ(store.list_products().size(), 1u);
  EXPECT_THROW(store.add_product({}), StoreError);
  EXPECT_THROW(store.add_product(p), Conflict);

  store.set_oauth_token({.account_id = tw.id,
                         .provider = "x",
                         .access_token = "at1",
                         .refresh_token = "rt1",
                         .expires_at = 5000});
  store.set_oauth_token({.account_id = tw.id,
                         .provider = "x",
                         .access_token = "at2",
                         .refresh_token = "rt2",
                         .expires_at = 9000});
  auto t = store.get_oauth_token(tw.id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->refresh_token, "rt2");
  EXPECT_EQ(t->expires_at, 9000);
  EXPECT_THROW(store.set_oauth_token({.account_id = "ghost", .provider = "x"}), NotFound);
  store.remove_account(tw.id);
  EXPECT_FALSE(store.get_oauth_token(tw.id));
  EXPECT_TRUE(store.remove_product(p.id));
}

TEST_P(Stores, TransactionRollsBackEverything) {
  Store store(location());
  EXPECT_THROW(store.transaction([&] {
    store.add_account({"youtube", "a", {}, {}, {}, {}, {}}, nullptr);
    store.add_history({.plugin_id = "youtube", .title = "x"});
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_TRUE(store.list_accounts().empty());
  EXPECT_EQ(store.count_history(), 0);
}

// Single-use refresh tokens: callers on their own connections (processes, hosts) refresh at
// once; the lock makes each see the token the previous one stored, so no refresh token is ever
// spent twice and none of the new tokens is lost. The first refresh finds no token row (the
// tokens are still the account's secrets) and is locked all the same.
TEST_P(Stores, ConcurrentRefreshesSpendEachRefreshTokenOnce) {
  Store store(location());
  Account x = store.add_account({"twitter", "deals", {}, {}, {}, {}, {}}, nullptr);
  std::mutex provider_mutex;
  std::set<std::string> spent;
  int issued = 0, double_spends = 0;
  // The provider: takes a refresh token once, answers with a new pair.
  auto provider = [&](const std::string &refresh_token) {
    std::lock_guard lock(provider_mutex);
    if (!spent.insert(refresh_token).second) ++double_spends;
    ++issued;
    return "rt-" + std::to_string(issued);
  };
  constexpr int kCallers = 4, kEach = 10;
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&] {
      Store mine(location());
      for (int i = 0; i < kEach; ++i) {
        std::unique_ptr<OAuthRefresh> refresh = mine.begin_oauth_refresh(x.id);
        const std::optional<OAuthToken> &current = refresh->current();
        OAuthToken next{.provider = "x"};
        next.refresh_token = provider(current ? current->refresh_token.value_or("") : "rt-0");
        next.access_token = "at-for-" + *next.refresh_token;
        refresh->finish(next);
      }
    });
  }
  for (auto &t : callers) t.join();
  EXPECT_EQ(double_spends, 0);
  EXPECT_EQ(issued, kCallers * kEach);
  EXPECT_EQ(store.get_oauth_token(x.id)->refresh_token, "rt-" + std::to_string(issued));
  // Ending without a new token changes nothing; an unknown account is NotFound.
  store.begin_oauth_refresh(x.id)->finish(std::nullopt);
  EXPECT_EQ(store.get_oauth_token(x.id)->refresh_token, "rt-" + std::to_string(issued));
  EXPECT_THROW(store.begin_oauth_refresh("ghost"), NotFound);
}

// A refresh waits on the provider with its lock held: meanwhile other processes keep writing
// the account's history and other tokens, and a refresh of the same account waits its turn.
TEST_P(Stores, AHeldRefreshLeavesOtherWritersFree) {
  Store store(location());
  Account x = store.add_account({"twitter", "deals", {}, {}, {}, {}, {}}, nullptr);
  Account y = store.add_account({"twitter", "news", {}, {}, {}, {}, {}}, nullptr);
  std::unique_ptr<OAuthRefresh> held = store.begin_oauth_refresh(x.id);
  Store other(location());
  other.add_history({.account_id = x.id, .plugin_id = "twitter", .title = "meanwhile"});
  other.set_oauth_token({.account_id = y.id, .provider = "x", .refresh_token = "rt-y"});
  std::atomic<bool> second_got_lock = false;
  std::thread second([&] {
    std::unique_ptr<OAuthRefresh> mine = other.begin_oauth_refresh(x.id);
    second_got_lock = true;
    EXPECT_EQ(mine->current()->refresh_token, "rt-x");  // the first one's token
    mine->finish(std::nullopt);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(second_got_lock);
  held->finish(OAuthToken{.provider = "x", .refresh_token = "rt-x"});
  second.join();
  EXPECT_TRUE(second_got_lock);
  EXPECT_EQ(store.count_history(), 1);
}

// PostgreSQL only: a Scope::rows transaction holding a row lock leaves other writers free (the
// job queue's claims), while a second Scope::rows transaction wanting the same row waits.
TEST(StorePostgres, RowsScopeDoesNotSerialiseWriters) {
  const Location where =
      Location::postgresql(automuse::testing::PostgresServer::get().fresh_database());
  Store store(where);
  Account a = store.add_account({"twitter", "a", {}, {}, {}, {}, {}}, nullptr);
  Db holder(where), other(where);
  WriteTxn held(holder, WriteTxn::Scope::rows);
  Stmt lock(holder,
            "SELECT id FROM accounts WHERE id = ?" + std::string(holder.lock_rows_clause()));
  lock.bind(1, a.id);
  ASSERT_TRUE(lock.step());
  // Another writer, of both scopes, commits while the row lock is held.
  auto write = std::async(std::launch::async, [&] {
    for (auto scope : {WriteTxn::Scope::all, WriteTxn::Scope::rows}) {
      WriteTxn txn(other, scope);
      Stmt(other, "INSERT INTO products (id, asin, created_at, updated_at) VALUES (?, ?, 1, 1)")
          .bind_all(scope == WriteTxn::Scope::all ? "p-all" : "p-rows", "B0")
          .run();
      txn.commit();
    }
  });
  ASSERT_EQ(write.wait_for(std::chrono::seconds(60)), std::future_status::ready)
      << "a writer waited for another transaction's row lock";
  write.get();
  // SKIP LOCKED: a claimer passes over the held row instead of waiting for it.
  WriteTxn claim(other, WriteTxn::Scope::rows);
  Stmt skip(other, "SELECT id FROM accounts FOR UPDATE SKIP LOCKED");
  EXPECT_FALSE(skip.step());
  claim.commit();
  held.commit();
  EXPECT_EQ(store.list_products().size(), 2u);
}

// store.url: a bad address or an unreachable server is an error naming store.url and the
// server, never the password.
TEST(StorePostgres, BadOrUnreachableUrlNamesStoreUrlButNotThePassword) {
  auto error_of = [](const std::string &url) -> std::string {
    try {
      Store store(Location::postgresql(url));
    } catch (const StoreError &e) {
      return e.what();
    }
    return "no error";
  };
  std::string bad = error_of("postgresql://muse:Sw0rdfish@db.invalid:notaport/automuse");
  EXPECT_NE(bad.find("store.url"), std::string::npos) << bad;
  EXPECT_EQ(bad.find("Sw0rdfish"), std::string::npos) << bad;

  TempFolder nowhere;  // a socket folder with no server in it
  std::string down =
      error_of("host=" + nowhere.path().string() + " dbname=automuse user=muse password=Sw0rdfish");
  EXPECT_NE(down.find("cannot connect to the store at store.url"), std::string::npos) << down;
  EXPECT_NE(down.find("'automuse' on " + nowhere.path().string()), std::string::npos) << down;
  EXPECT_EQ(down.find("Sw0rdfish"), std::string::npos) << down;

  std::string socket_folder = nowhere.path().string();
  for (size_t at; (at = socket_folder.find('/')) != std::string::npos;)
    socket_folder.replace(at, 1, "%2F");
  std::string uri = error_of("postgresql://muse:Sw0rdfish@" + socket_folder + "/automuse");
  EXPECT_NE(uri.find("store.url"), std::string::npos) << uri;
  EXPECT_EQ(uri.find("Sw0rdfish"), std::string::npos) << uri;
}

// An outage of the database (a restart, a failover): calls during it fail with a message naming
// store.url, a write cut short by it is rolled back, and once the database is back the same
// Store (a long-running worker's) works again without being opened anew.
TEST(StorePostgres, AStoreOutlivesAnOutageOfTheDatabase) {
  auto &server = automuse::testing::PostgresServer::get();
  const std::string url = server.fresh_database();
  Store store(Location::postgresql(url));
  store.add_account({"twitter", "before", {}, {}, {}, {}, {}}, nullptr);

  server.cut_off(url);
  try {
    store.list_accounts();
    ADD_FAILURE() << "a read during the outage succeeded";
  } catch (const StoreError &e) {
    EXPECT_NE(std::string(e.what()).find("store.url"), std::string::npos) << e.what();
  }
  EXPECT_THROW(store.add_account({"twitter", "during", {}, {}, {}, {}, {}}, nullptr), StoreError);
  server.restore(url);

  // Back: reads and writes on the same Store, nothing of the failed write stored.
  EXPECT_EQ(store.list_accounts().size(), 1u);
  store.add_account({"twitter", "after", {}, {}, {}, {}, {}}, nullptr);
  std::vector<std::string> names;
  for (const Account &a : store.list_accounts()) names.push_back(a.nickname);
  EXPECT_EQ(names, (std::vector<std::string>{"after", "before"}));

  // Dropped again while idle (the server restarted between two calls): the next call
  // reconnects by itself, a read as well as a write transaction.
  server.cut_off(url);
  server.restore(url);
  EXPECT_EQ(store.list_accounts().size(), 2u);
  server.cut_off(url);
  server.restore(url);
  store.add_account({"twitter", "later", {}, {}, {}, {}, {}}, nullptr);
  EXPECT_EQ(store.list_accounts().size(), 3u);
}

// The SQL is written once with SQLite's placeholders; PostgreSQL gets $N, never inside quotes
// or comments.
TEST(StorePostgres, PlaceholdersBecomeNumberedOutsideQuotesAndComments) {
  auto pg = to_postgres_placeholders(
      "SELECT '?', \"a?\" FROM t WHERE x = ? -- ?\n AND y = ? /* ? */ AND z = 'it''s ?' AND w = ?");
  EXPECT_EQ(pg.text,
            "SELECT '?', \"a?\" FROM t WHERE x = $1 -- ?\n AND y = $2 /* ? */ AND z = 'it''s ?' "
            "AND w = $3");
  EXPECT_EQ(pg.parameters, 3);
  auto numbered = to_postgres_placeholders("WHERE a = ?2 OR b = ?1 OR c = ?");
  EXPECT_EQ(numbered.text, "WHERE a = $2 OR b = $1 OR c = $3");
  EXPECT_EQ(numbered.parameters, 3);
}

TEST(Store, RecordsRoundTripThroughJson) {
  HistoryRecord h{.account_id = "acc",
                  .plugin_id = "youtube",
                  .kind = "video",
                  .title = "T",
                  .status = "failed",
                  .error = "quota"};
  HistoryRecord back = history_from_json(to_json(h), "test");
  EXPECT_EQ(back.title, "T");
  EXPECT_EQ(back.error, "quota");
  EXPECT_EQ(back.account_id, "acc");
  try {
    history_from_json({{"kind", "video"}, {"titel", "x"}}, "history record");
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_STREQ(e.what(), "history record: field 'titel' is not a known field");
  }
  EXPECT_THROW(history_from_json({{"status", "done"}}, "h"), StoreError);
  EXPECT_THROW(product_from_json({{"notes", "x"}}, "p"), StoreError);
}

}  // namespace
}  // namespace automuse::store
