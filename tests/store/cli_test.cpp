// The accounts / history / cache / import commands, parsed by CLI11 as automuse-host does,
// run against a real store (on both backends, SQLite and PostgreSQL) and a cache in a temporary
// folder.
#include <gtest/gtest.h>

#include <sstream>

#include "app/store_commands.hpp"
#include "support/store_backends.hpp"
#include "support/temp_folder.hpp"

namespace automuse::store {
namespace {

namespace json = boost::json;
using automuse::testing::TempFolder;

constexpr const char *kTwitterDescribe = R"({"description":"X posts","account_fields":[
  {"name":"topic","type":"string","required":true,"help":"What to post about"},
  {"name":"per_day","type":"integer","minimum":1,"maximum":20,"default":3},
  {"name":"api_key","type":"string","secret":true}],"actions":[{"name":"post"}]})";

class Cli : public automuse::testing::BackendTest {
 protected:
  int run(std::vector<std::string> args, std::string input = "") {
    out_.str("");
    err_.str("");
    in_.str(input);
    in_.clear();
    CLI::App app{"test", "automuse-host"};
    int code = -1;
    add_store_commands(
        app,
        [this] {
          StoreContext c;
          c.store = [this]() -> Store & {
            if (!store_) store_ = std::make_unique<Store>(location());
            return *store_;
          };
          c.cache = [this]() -> cache::Cache & {
            if (!cache_) cache_ = std::make_unique<cache::Cache>(tmp_ / "data" / "cache");
            return *cache_;
          };
          c.account_schema = [](const std::string &plugin) -> std::optional<std::string> {
            if (plugin == "twitter") return kTwitterDescribe;
            return std::nullopt;
          };
          c.out = &out_;
          c.err = &err_;
          c.in = &in_;
          return c;
        },
        &code);
    std::vector<const char *> argv{"automuse-host"};
    for (const std::string &a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return code;
  }
  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }

  TempFolder &tmp_ = tmp;
  std::unique_ptr<Store> store_;
  std::unique_ptr<cache::Cache> cache_;
  std::ostringstream out_, err_;
  std::istringstream in_;
};

AUTOMUSE_ON_BOTH_BACKENDS(Cli);

TEST_P(Cli, AccountsAddListShowSetRemove) {
  ASSERT_EQ(run({"accounts", "add", "--plugin", "twitter", "--nickname", "deals", "--set",
                 "topic=tech deals", "--set", "api_key=-"},
                "k-123\n"),
            0)
      << err();
  EXPECT_NE(out().find("Added twitter account 'deals'"), std::string::npos) << out();

  ASSERT_EQ(run({"accounts", "list"}), 0);
  EXPECT_NE(out().find("PLUGIN   NICKNAME  ID"), std::string::npos) << out();
  EXPECT_NE(out().find("topic=tech deals, per_day=3"), std::string::npos) << out();

  ASSERT_EQ(run({"accounts", "list", "--plugin", "twitter", "--json"}), 0);
  json::value listed = json::parse(out());
  ASSERT_EQ(listed.as_array().size(), 1u);
  EXPECT_EQ(listed.at(0).at("fields").at("topic"), "tech deals");
  EXPECT_EQ(listed.at(0).at("secrets").at(0), "api_key");
  EXPECT_EQ(out().find("k-123"), std::string::npos);  // never the secret's value
  std::string id(listed.at(0).at("id").as_string());
  EXPECT_EQ(store_->get_secret(id, "api_key"), "k-123");

  ASSERT_EQ(run({"accounts", "show", "deals"}), 0);
  EXPECT_NE(out().find("twitter account 'deals'"), std::string::npos) << out();
  EXPECT_NE(out().find("api_key = (set)"), std::string::npos) << out();
  EXPECT_NE(out().find("authorised: no"), std::string::npos) << out();
  EXPECT_EQ(out().find("k-123"), std::string::npos);

  ASSERT_EQ(run({"accounts", "set", "deals", "--set", "per_day=5"}), 0) << err();
  EXPECT_EQ(store_->get_account(id)->fields.at("per_day"), 5);

  EXPECT_EQ(run({"accounts", "remove", "deals"}, "n\n"), 1);  // declined
  EXPECT_NE(err().find("Not removed."), std::string::npos);
  EXPECT_TRUE(store_->get_account(id));
  EXPECT_EQ(run({"accounts", "remove", "deals"}, "y\n"), 0);
  EXPECT_FALSE(store_->get_account(id));
  EXPECT_EQ(run({"accounts", "remove", "deals", "--yes"}), 1);
  EXPECT_NE(err().find("no account 'deals'"), std::string::npos) << err();
}

TEST_P(Cli, AddReportsValidationErrorsAndUnknownPlugins) {
  EXPECT_EQ(run({"accounts", "add", "--plugin", "twitter", "--nickname", "x", "--set", "per_day=99",
                 "--set", "topic=t"}),
            1);
  EXPECT_EQ(err(),
            "automuse-host: account 'x' (twitter): field 'per_day' must be at most 20; got 99\n");
  EXPECT_EQ(
      run({"accounts", "add", "--plugin", "twitter", "--nickname", "x", "--set", "per_day=many"}),
      1);
  EXPECT_NE(err().find("field 'per_day' must be an integer; got 'many'"), std::string::npos)
      << err();
  EXPECT_EQ(run({"accounts", "add", "--plugin", "twitter", "--nickname", "x"}), 1);
  EXPECT_NE(err().find("field 'topic' is required"), std::string::npos) << err();
  EXPECT_EQ(run({"accounts", "add", "--plugin", "tiktok", "--nickname", "x"}), 1);
  EXPECT_NE(err().find("no plugin 'tiktok' is installed"), std::string::npos) << err();
  EXPECT_EQ(run({"accounts", "add", "--plugin", "twitter", "--nickname", "x", "--set", "topic"}),
            1);
  EXPECT_NE(err().find("--set expects field=value"), std::string::npos) << err();
  EXPECT_THROW(run({"accounts", "add", "--nickname", "x"}), CLI::ParseError);  // --plugin missing
  ASSERT_EQ(run({"accounts", "list"}), 0);
  EXPECT_NE(out().find("No accounts"), std::string::npos);
}

TEST_P(Cli, HistoryTableAndJson) {
  ASSERT_EQ(
      run({"accounts", "add", "--plugin", "twitter", "--nickname", "deals", "--set", "topic=t"}),
      0);
  std::string id = store_->list_accounts()[0].id;
  for (int i = 0; i < 4; ++i) {
    store_->add_history({.account_id = id,
                         .kind = "post",
                         .body = "post number " + std::to_string(i),
                         .status = "published",
                         .created_at = 1709836200 + i});
  }
  store_->add_history({.account_id = id,
                       .kind = "post",
                       .body = "did not go out",
                       .status = "failed",
                       .error = "429 rate limited",
                       .created_at = 1709836300});
  ASSERT_EQ(run({"history", "--account", "deals", "--limit", "2"}), 0) << err();
  EXPECT_NE(out().find("2024-03-07 18:31  twitter  deals    post  failed"), std::string::npos)
      << out();
  EXPECT_NE(out().find("error: 429 rate limited"), std::string::npos);
  EXPECT_NE(out().find("post number 3"), std::string::npos);
  EXPECT_EQ(out().find("post number 2"), std::string::npos);  // limit

  ASSERT_EQ(run({"history", "--plugin", "twitter", "--status", "published", "--json"}), 0);
  json::value arr = json::parse(out());
  EXPECT_EQ(arr.as_array().size(), 4u);
  EXPECT_EQ(arr.at(0).at("body"), "post number 3");
  EXPECT_THROW(run({"history", "--kind", "song"}), CLI::ParseError);
}

TEST_P(Cli, CacheStatsAndClear) {
  ASSERT_EQ(run({"cache", "stats"}), 0);  // opens (creates) the cache
  cache_->put("a", std::string(100, 'a'));
  cache_->put("b", std::string(100000, 'b'));
  cache_->get("a");
  cache_->get("zzz");
  ASSERT_EQ(run({"cache", "stats"}), 0);
  EXPECT_NE(out().find("entries:   2 (1 in the index, 1 as blob files)"), std::string::npos)
      << out();
  EXPECT_NE(out().find("hits:      1 of 2 lookups (50%)"), std::string::npos) << out();
  ASSERT_EQ(run({"cache", "stats", "--json"}), 0);
  EXPECT_EQ(json::parse(out()).at("blob_files"), 1);

  EXPECT_EQ(run({"cache", "clear", "--older-than", "soon"}), 1);
  EXPECT_NE(err().find("--older-than expects a duration"), std::string::npos);
  ASSERT_EQ(run({"cache", "clear", "--older-than", "7d"}), 0);
  EXPECT_NE(out().find("Removed 0 entries"), std::string::npos) << out();
  ASSERT_EQ(run({"cache", "clear"}), 0);
  EXPECT_NE(out().find("Removed 2 entries"), std::string::npos) << out();
  EXPECT_EQ(cache_->stats().blob_files, 0);
}

TEST_P(Cli, ImportMpv2) {
  ASSERT_EQ(run({"import", "mpv2", std::string(AUTOMUSE_IMPORT_SAMPLES) + "/mp"}), 0) << err();
  EXPECT_NE(out().find("YouTube: 2 accounts imported; 2 videos imported"), std::string::npos)
      << out();
  EXPECT_NE(out().find("Note: Firefox profiles are not used any more"), std::string::npos);
  EXPECT_EQ(run({"import", "mpv2", std::string(AUTOMUSE_IMPORT_SAMPLES) + "/malformed"}), 1);
  EXPECT_NE(out().find("twitter.json $.accounts[2].posts[1].date"), std::string::npos) << out();
  EXPECT_EQ(run({"import", "mpv2", tmp_.path().string()}), 1);
  EXPECT_NE(err().find("found none of youtube.json"), std::string::npos) << err();
  ASSERT_EQ(run({"accounts", "list", "--plugin", "youtube"}), 0);
  EXPECT_NE(out().find("space facts"), std::string::npos) << out();
}

}  // namespace
}  // namespace automuse::store
