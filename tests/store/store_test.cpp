// The store on a real SQLite file: accounts (schema validation, secrets), history, products,
// OAuth tokens, permissions.
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/migrations.hpp"
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

mode_t mode_of(const std::filesystem::path &p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

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

TEST(Store, AddListShowRemoveAccountWithSecrets) {
  TempFolder tmp;
  Store store(tmp / "automuse.db");
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

TEST(Store, ValidationErrorsNameAccountAndField) {
  TempFolder tmp;
  Store store(tmp / "automuse.db");
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

TEST(Store, UpdateFieldsKeepsOthersAndValidates) {
  TempFolder tmp;
  Store store(tmp / "automuse.db");
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

TEST(Store, HistoryFiltersAndUpdates) {
  TempFolder tmp;
  Store store(tmp / "automuse.db");
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

TEST(Store, ProductsAndOAuthTokens) {
  TempFolder tmp;
  Store store(tmp / "automuse.db");
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

TEST(Store, TransactionRollsBackEverything) {
  TempFolder tmp;
  Store store(tmp / "automuse.db");
  EXPECT_THROW(store.transaction([&] {
    store.add_account({"youtube", "a", {}, {}, {}, {}, {}}, nullptr);
    store.add_history({.plugin_id = "youtube", .title = "x"});
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_TRUE(store.list_accounts().empty());
  EXPECT_EQ(store.count_history(), 0);
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
