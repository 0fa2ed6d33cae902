// tests/log/secret_registration_test.cpp — every secret the host reads is known to the redactor
// from that moment: automuse.json's secrets, API keys provider settings read (from the file or
// the environment), account secrets and OAuth tokens as the store loads or saves them, and an
// OAuth client's secret. Each value is new to this process, so only its reading can have
// registered it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <string>

#include "config/config.hpp"
#include "core/provider_settings.hpp"
#include "log/redaction.hpp"
#include "store/store.hpp"
#include "support/temp_folder.hpp"

namespace lg = automuse::log;

namespace {

// Whether `value`, printed in a sentence, comes out redacted.
bool redacted(const std::string &value) {
  const std::string out = lg::redact("the plugin said: " + value + " (end)");
  return out.find(value) == std::string::npos && out.find("***") != std::string::npos;
}

void exec(sqlite3 *db, const std::string &sql) {
  char *err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
}

}  // namespace

TEST(SecretRegistration, ConfigSecretsWhenParsed) {
  ASSERT_FALSE(redacted("cfg-llm-key-5f1e9a"));
  automuse::config::Config::parse(
      R"({"llm": {"providers": {"x": {"api_key": "cfg-llm-key-5f1e9a"}}}})", "test.json");
  EXPECT_TRUE(redacted("cfg-llm-key-5f1e9a"));
}

// An LLM provider names the variable holding its key ("api_key_env"): its value is a secret.
TEST(SecretRegistration, ConfigNamedKeyVariableWhenParsed) {
  ASSERT_EQ(::setenv("AUTOMUSE_TEST_MY_LLM", "named-var-key-3b8f21", 1), 0);
  ASSERT_FALSE(redacted("named-var-key-3b8f21"));
  automuse::config::Config::parse(
      R"({"llm": {"providers": {"mine": {"api_key_env": "AUTOMUSE_TEST_MY_LLM"}}}})", "t.json");
  ::unsetenv("AUTOMUSE_TEST_MY_LLM");
  EXPECT_TRUE(redacted("named-var-key-3b8f21"));
}

TEST(SecretRegistration, ProviderKeyFromEnvironmentWhenRead) {
  ASSERT_FALSE(redacted("env-preset-key-77a0c3"));
  automuse::core::ProviderSettings settings(nullptr, "images.providers", "gemini");
  const auto env = [](const char *name) {
    return std::string(name) == "GEMINI_API_KEY" ? "env-preset-key-77a0c3" : nullptr;
  };
  EXPECT_EQ(settings.api_key("GEMINI_API_KEY", env), "env-preset-key-77a0c3");
  EXPECT_TRUE(redacted("env-preset-key-77a0c3"));
}

// The values are written behind the store's back, as an earlier run of the host would have
// left them, so that only loading them can register them.
TEST(SecretRegistration, StoreSecretsAndTokensWhenLoaded) {
  automuse::testing::TempFolder temp;
  const auto file = temp / "automuse.db";
  std::string id;
  {
    automuse::store::Store store(file);
    id = store.add_account({.plugin_id = "youtube", .nickname = "main"}, nullptr).id;
  }
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  exec(db, "INSERT INTO secrets (account_id, name, value, updated_at) VALUES ('" + id +
               "', 'password', 'stored-password-0b9d2e', 0)");
  exec(db,
       "INSERT INTO oauth_tokens (account_id, provider, access_token, refresh_token, updated_at) "
       "VALUES ('" +
           id + "', 'google', 'ya29.stored-access-41c7', '1//stored-refresh-9e2a', 0)");
  sqlite3_close(db);
  for (const char *v :
       {"stored-password-0b9d2e", "ya29.stored-access-41c7", "1//stored-refresh-9e2a"})
    ASSERT_FALSE(redacted(v)) << v;

  automuse::store::Store store(file);
  EXPECT_EQ(store.get_secret(id, "password"), "stored-password-0b9d2e");
  EXPECT_TRUE(redacted("stored-password-0b9d2e"));
  ASSERT_TRUE(store.get_oauth_token(id));
  EXPECT_TRUE(redacted("ya29.stored-access-41c7"));
  EXPECT_TRUE(redacted("1//stored-refresh-9e2a"));
}

// A plugin that refreshes a token itself saves it through the store: from then on it is known.
TEST(SecretRegistration, RefreshedTokenWhenSaved) {
  automuse::testing::TempFolder temp;
  automuse::store::Store store(temp / "automuse.db");
  const std::string id = store.add_account({.plugin_id = "x", .nickname = "me"}, nullptr).id;
  ASSERT_FALSE(redacted("refreshed-access-c0ffee"));
  store.set_oauth_token({.account_id = id,
                         .provider = "x",
                         .access_token = "refreshed-access-c0ffee",
                         .refresh_token = "refreshed-refresh-beef42"});
  EXPECT_TRUE(redacted("refreshed-access-c0ffee"));
  EXPECT_TRUE(redacted("refreshed-refresh-beef42"));
}
