// automuse.store/1 and automuse.cache/1 as a plugin sees them: looked up through am_host,
// JSON in and out, statuses and messages, per-plugin scope, calls from several threads — with
// the store on either backend (the cache is always the host's own SQLite file).
#include <automuse/cache.h>
#include <automuse/store.h>
#include <gtest/gtest.h>

#include <thread>

#include "cache/cache_service.hpp"
#include "core/runtime.hpp"
#include "store/store_service.hpp"
#include "support/store_backends.hpp"
#include "support/temp_folder.hpp"

extern "C" int store_from_c(const am_host *host);  // store_from_c.c

namespace automuse::store {
namespace {

namespace json = boost::json;

am_str s(std::string_view v) {
  return {v.data(), v.size()};
}

// Takes a buffer's content and releases it.
std::string take(am_buffer &b) {
  std::string out(reinterpret_cast<const char *>(b.data), b.size);
  am_buffer_release(&b);
  return out;
}

class Services : public automuse::testing::BackendTest {
 protected:
  Services()
      : store_(location()),
        cache_(tmp / "cache"),
        store_service_(store_),
        cache_service_(cache_),
        runtime_(1, 1) {
    registry_.add(AM_STORE_SERVICE_ID, store_service_.table());
    registry_.add(AM_CACHE_SERVICE_ID, cache_service_.table());
    youtube_ = core::make_plugin_context("youtube", registry_, runtime_);
    twitter_ = core::make_plugin_context("twitter", registry_, runtime_);
    yt_ = &youtube_->host;
    tw_ = &twitter_->host;
    api_ = static_cast<const am_store *>(yt_->get_service(yt_, AM_STORE_SERVICE_ID));
    cache_api_ = static_cast<const am_cache *>(yt_->get_service(yt_, AM_CACHE_SERVICE_ID));
    store_.add_account({"youtube", "cooking", {{"niche", "food"}}, {}, {}, {}, {}}, nullptr);
    store_.add_account({"twitter", "deals", {{"topic", "tech"}}, {}, {}, {}, {}}, nullptr);
  }

  Store store_;
  cache::Cache cache_;
  StoreService store_service_;
  cache::CacheService cache_service_;
  core::ServiceRegistry registry_;
  core::Runtime runtime_;
  std::unique_ptr<core::PluginContext> youtube_, twitter_;
  const am_host *yt_ = nullptr, *tw_ = nullptr;
  const am_store *api_ = nullptr;
  const am_cache *cache_api_ = nullptr;
};
AUTOMUSE_ON_BOTH_BACKENDS(Services);

TEST_P(Services, AccountsAreScopedToTheCallingPlugin) {
  ASSERT_NE(api_, nullptr);
  EXPECT_EQ(api_->struct_size, sizeof(am_store));
  am_buffer out{}, err{};
  ASSERT_EQ(api_->list_accounts(yt_, &out, &err), AM_OK);
  json::value list = json::parse(take(out));
  ASSERT_EQ(list.as_array().size(), 1u);
  EXPECT_EQ(list.at(0).at("nickname"), "cooking");
  EXPECT_EQ(list.at(0).at("fields").at("niche"), "food");

  ASSERT_EQ(api_->get_account(yt_, s("cooking"), &out, &err), AM_OK);
  std::string id(json::parse(take(out)).at("id").as_string());
  ASSERT_EQ(api_->get_account(yt_, s(id), &out, &err), AM_OK);
  am_buffer_release(&out);
  EXPECT_EQ(api_->get_account(yt_, s("deals"), &out, &err), AM_NOT_FOUND);  // twitter's
  EXPECT_EQ(take(err), "no account 'deals' for plugin youtube (see: automuse-host accounts list)");
  EXPECT_EQ(out.data, nullptr);
}

TEST_P(Services, SecretsAndOAuthTokens) {
  am_buffer out{}, err{};
  ASSERT_EQ(api_->set_secret(yt_, s("cooking"), s("client_secret"), s("abc"), &err), AM_OK);
  ASSERT_EQ(api_->get_secret(yt_, s("cooking"), s("client_secret"), &out, &err), AM_OK);
  EXPECT_EQ(take(out), "abc");
  EXPECT_EQ(api_->get_secret(yt_, s("cooking"), s("other"), &out, &err), AM_NOT_FOUND);
  EXPECT_EQ(take(err), "account 'cooking' has no secret 'other'");
  EXPECT_EQ(api_->get_secret(tw_, s("cooking"), s("client_secret"), &out, nullptr),
            AM_NOT_FOUND);  // not twitter's account; a NULL error buffer is fine

  EXPECT_EQ(api_->get_oauth_token(yt_, s("cooking"), &out, &err), AM_NOT_FOUND);
  am_buffer_release(&err);
  ASSERT_EQ(api_->set_oauth_token(yt_, s("cooking"),
                                  s(R"({"provider":"google","access_token":"at","refresh_token":)"
                                    R"("rt","expires_at":1800000000})"),
                                  &err),
            AM_OK);
  ASSERT_EQ(api_->get_oauth_token(yt_, s("cooking"), &out, &err), AM_OK);
  json::value t = json::parse(take(out));
  EXPECT_EQ(t.at("refresh_token"), "rt");
  EXPECT_EQ(t.at("expires_at"), 1800000000);
  EXPECT_EQ(api_->set_oauth_token(yt_, s("cooking"), s(R"({"access_token":"x"})"), &err),
            AM_INVALID_ARGUMENT);
  EXPECT_EQ(take(err), "OAuth token: field 'provider' is required");
}

TEST_P(Services, HistoryRoundTrip) {
  am_buffer out{}, err{};
  ASSERT_EQ(api_->add_history(yt_,
                              s(R"({"account_id":"cooking","kind":"video","title":"Pasta",)"
                                R"("local_file":"/tmp/pasta.mp4"})"),
                              &out, &err),
            AM_OK)
      << take(err);
  json::value rec = json::parse(take(out));
  std::string id(rec.at("id").as_string());
  EXPECT_EQ(rec.at("plugin"), "youtube");
  EXPECT_EQ(rec.at("status"), "generated");
  EXPECT_EQ(rec.at("account_id"), json::value(store_.resolve_account("cooking").id));

  ASSERT_EQ(api_->update_history(yt_, s(id),
                                 s(R"({"status":"published","remote_id":"vid9",)"
                                   R"("remote_url":"https://youtu.be/vid9"})"),
                                 &out, &err),
            AM_OK);
  EXPECT_EQ(json::parse(take(out)).at("remote_id"), "vid9");
  EXPECT_EQ(store_.get_history(id)->status, "published");

  // Another plugin cannot touch it; bad input names the field.
  EXPECT_EQ(api_->update_history(tw_, s(id), s(R"({"status":"failed"})"), nullptr, &err),
            AM_NOT_FOUND);
  am_buffer_release(&err);
  EXPECT_EQ(api_->update_history(yt_, s(id), s(R"({"status":"lost"})"), nullptr, &err),
            AM_INVALID_ARGUMENT);
  EXPECT_EQ(take(err), "status must be generated, published or failed; got 'lost'");
  EXPECT_EQ(api_->add_history(yt_, s(R"({"kind":"video","titel":"x"})"), nullptr, &err),
            AM_INVALID_ARGUMENT);
  EXPECT_EQ(take(err), "history record: field 'titel' is not a known field");
  EXPECT_EQ(api_->add_history(yt_, s(R"({"kind":"video","plugin":"twitter"})"), nullptr, &err),
            AM_INVALID_ARGUMENT);
  am_buffer_release(&err);
  EXPECT_EQ(api_->add_history(yt_, s("{oops"), nullptr, &err), AM_INVALID_ARGUMENT);
  EXPECT_NE(take(err).find("not valid JSON"), std::string::npos);

  ASSERT_EQ(api_->add_history(tw_, s(R"({"account_id":"deals","kind":"post","body":"hi"})"),
                              nullptr, &err),
            AM_OK);
  ASSERT_EQ(api_->list_history(yt_, s(""), &out, &err), AM_OK);
  EXPECT_EQ(json::parse(take(out)).as_array().size(), 1u);  // only youtube's
  ASSERT_EQ(api_->list_history(tw_, s(R"({"account":"deals","limit":5})"), &out, &err), AM_OK);
  json::value posts = json::parse(take(out));
  ASSERT_EQ(posts.as_array().size(), 1u);
  EXPECT_EQ(posts.at(0).at("body"), "hi");
  EXPECT_EQ(api_->list_history(tw_, s(R"({"acount":"deals"})"), &out, &err), AM_INVALID_ARGUMENT);
  am_buffer_release(&err);
}

TEST_P(Services, Products) {
  am_buffer out{}, err{};
  ASSERT_EQ(
      api_->add_product(tw_, s(R"({"asin":"B0TEST0001","share_plugin":"twitter"})"), &out, &err),
      AM_OK);
  std::string id(json::parse(take(out)).at("id").as_string());
  ASSERT_EQ(api_->get_product(yt_, s(id), &out, &err), AM_OK);  // products are shared
  EXPECT_EQ(json::parse(take(out)).at("asin"), "B0TEST0001");
  ASSERT_EQ(api_->list_products(yt_, &out, &err), AM_OK);
  EXPECT_EQ(json::parse(take(out)).as_array().size(), 1u);
  EXPECT_EQ(api_->add_product(tw_, s(R"({"notes":"no link"})"), nullptr, &err),
            AM_INVALID_ARGUMENT);
  EXPECT_EQ(take(err), "product: field 'link' or 'asin' is required");
  EXPECT_EQ(api_->get_product(yt_, s("nope"), &out, &err), AM_NOT_FOUND);
  am_buffer_release(&err);
  ASSERT_EQ(api_->remove_product(yt_, s(id), &err), AM_OK);
  EXPECT_EQ(api_->remove_product(yt_, s(id), &err), AM_NOT_FOUND);
  EXPECT_EQ(take(err), "no product with id " + id);
}

TEST_P(Services, CallableFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string rec = R"({"account_id":"cooking","title":"t)" + std::to_string(t) + "-" +
                          std::to_string(i) + R"("})";
        if (api_->add_history(yt_, s(rec), nullptr, nullptr) != AM_OK) ++failures;
        am_buffer out{};
        if (api_->list_history(yt_, s(R"({"limit":3})"), &out, nullptr) != AM_OK) ++failures;
        am_buffer_release(&out);
      }
    });
  }
  for (auto &th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(store_.count_history(), 200);
}

TEST_P(Services, UsableFromPlainC) {
  EXPECT_EQ(store_from_c(tw_), 0);
  EXPECT_EQ(store_.list_history({.plugin_id = "twitter"}).at(0).body, "from C");
}

TEST_P(Services, CacheIsScopedPerPlugin) {
  ASSERT_NE(cache_api_, nullptr);
  am_buffer out{};
  ASSERT_EQ(cache_api_->put(yt_, s("script:v1"), s("a script"), 0), AM_OK);
  ASSERT_EQ(cache_api_->get(yt_, s("script:v1"), &out), AM_OK);
  EXPECT_EQ(take(out), "a script");
  EXPECT_EQ(cache_api_->get(tw_, s("script:v1"), &out), AM_NOT_FOUND);  // another plugin's
  EXPECT_EQ(cache_.get(cache::CacheService::scoped_key("youtube", "script:v1")), "a script");

  std::string media(200 * 1024, 'm');
  automuse::testing::write_file(tmp / "clip.mp4", media);
  std::string clip = (tmp / "clip.mp4").string();
  ASSERT_EQ(cache_api_->put_file(yt_, s("clip"), s(clip), 60000), AM_OK);
  ASSERT_EQ(cache_api_->get_path(yt_, s("clip"), &out), AM_OK);
  std::string path = take(out);
  EXPECT_NE(path, clip);
  EXPECT_EQ(automuse::testing::read_file(path), media);
  EXPECT_EQ(cache_api_->put_file(yt_, s("x"), s((tmp / "missing").string()), 0), AM_IO);
  EXPECT_EQ(cache_api_->get(yt_, s(""), &out), AM_INVALID_ARGUMENT);
  EXPECT_EQ(cache_api_->remove(yt_, s("clip")), AM_OK);
  EXPECT_EQ(cache_api_->remove(yt_, s("clip")), AM_NOT_FOUND);
  EXPECT_EQ(cache_api_->get_path(yt_, s("clip"), &out), AM_NOT_FOUND);
}

}  // namespace
}  // namespace automuse::store
