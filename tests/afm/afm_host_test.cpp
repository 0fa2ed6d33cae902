// tests/afm/afm_host_test.cpp — the afm plugin end to end: automuse-host as a user runs it
// (accounts added with `accounts add`, products with `--plugin afm add`), against the Amazon
// fake (Creators API of both credential generations, product pages, short links), the LLM
// fake, and the real twitter plugin's publisher — loaded on demand by the publish registry,
// never named on the command line — posting into the fake X API.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/amazon/fake_amazon.hpp"
#include "support/host_process.hpp"
#include "support/llm/fake_openai.hpp"
#include "support/temp_folder.hpp"
#include "support/x/fake_x.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using automuse::testing::FakeAmazon;
using automuse::testing::FakeOpenAI;
using automuse::testing::FakeX;

namespace {

constexpr const char *kMug = "B07XJ8C8F5";
constexpr const char *kGoodPitch = "A matte blue 16 oz stoneware mug that is dishwasher safe.";

using automuse::testing::HostResult;
using automuse::testing::read_file;
using automuse::testing::shell_quote;

// Every message of every chat the LLM fake received, joined.
std::string conversation(const FakeOpenAI &llm, size_t index) {
  auto bodies = llm.chat_bodies();
  if (index >= bodies.size()) return {};
  std::string out;
  for (const auto &m : bodies[index].as_object().at("messages").as_array())
    out += std::string(m.as_object().at("content").as_string()) + "\n";
  return out;
}

class AfmHost : public ::testing::Test {
 protected:
  void SetUp() override {
    x_.add_user({"1001", "cook", "ck-1", "cs-1", "at-1", "as-1", "", ""});
    amazon_.add_page(kMug, read_file(fs::path(AFM_DATA_DIR) / "normal.html"));
    amazon_.add_page("B0NOTEBOOK", read_file(fs::path(AFM_DATA_DIR) / "no_bullets.html"));
    amazon_.add_partner_tag("shop-20");
    amazon_.add_item({kMug,
                      "Stoneware Coffee Mug, 16 oz, Matte Blue",
                      {"Holds 16 oz (470 ml)", "Dishwasher and microwave safe"},
                      "$18.99",
                      18.99,
                      "USD"});
    llm_.set_answers({kGoodPitch});
    json::object config{
        {"plugins", {{"twitter", {{"api_base", x_.base_url()}}}, {"afm", amazon_.plugin_config()}}},
        {"llm", llm_.host_config()},
        {"log", {{"file", false}}},
        // The fake's --link URLs are on loopback (the LinkSafety tests leave this out).
        {"http", {{"allow_private_addresses", true}}}};
    write_config(config);
    auto r = host(
        "accounts add --plugin twitter --nickname cook --set topic=cooking --set consumer_key=ck-1 "
        "--set consumer_secret=cs-1 --set access_token=at-1 --set access_token_secret=as-1");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  void write_config(const json::object &config) {
    std::ofstream(root_ / "automuse.json") << json::serialize(config);
  }
  HostResult host(const std::string &args) {
    return automuse::testing::run_host(automuse::testing::host_exe(HOST_EXE), PLUGIN_DIR, root_,
                                       args);
  }

  void add_shop(const std::string &extra = "") {
    auto r = host(
        "accounts add --plugin afm --nickname shop --set partner_tag=shop-20 "
        "--set share_with=twitter:cook " +
        extra);
    ASSERT_EQ(r.code, 0) << r.err;
  }

  // Adds the mug and returns its product id.
  std::string add_mug() {
    auto r = host("--plugin afm add --link " +
                  shell_quote(amazon_.base_url() + "/Stoneware-Coffee-Mug/dp/" + kMug +
                              "/ref=sr_1_3?keywords=mug&qid=1") +
                  " --notes " + shell_quote("Our office favourite"));
    EXPECT_EQ(r.code, 0) << r.err;
    return std::string(json::parse(r.out).as_object().at("id").as_string());
  }

  json::object pitch(const std::string &id, const std::string &extra = "") {
    auto r = host("--plugin afm pitch --product " + id + " " + extra);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? json::parse(r.out).as_object() : json::object{};
  }

  FakeX x_;
  FakeAmazon amazon_;
  FakeOpenAI llm_;
  automuse::testing::TempFolder temp_;
  fs::path root_ = temp_.path();
};

TEST_F(AfmHost, RunSharesThroughTheTwitterPluginIntoFakeX) {
  add_shop();
  std::string id = add_mug();
  // Only afm is named: the publish registry loads twitter when afm asks for it.
  auto r = host("--plugin afm run");
  ASSERT_EQ(r.code, 0) << r.err;
  auto posts = x_.posts();
  ASSERT_EQ(posts.size(), 1u) << r.err;
  const std::string link = "https://www.amazon.com/dp/" + std::string(kMug) + "?tag=shop-20";
  EXPECT_EQ(posts[0].text, std::string(kGoodPitch) + " #ad\n" + link);
  EXPECT_EQ(posts[0].user_id, "1001");
  json::object result = json::parse(r.out).as_object();
  EXPECT_EQ(result.at("post").as_object().at("id").as_string(), posts[0].id);
  EXPECT_EQ(result.at("facts_source").as_string(), "product-page");
  EXPECT_EQ(result.at("product_id").as_string(), id);

  // The prompt carries the page's bullets, price and the notes, and the honesty rule.
  std::string prompt = conversation(llm_, 0);
  EXPECT_NE(prompt.find("Holds 16 oz (470 ml) of coffee or tea"), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("Price: $18.99"), std::string::npos);
  EXPECT_NE(prompt.find("Our office favourite"), std::string::npos);
  EXPECT_NE(prompt.find("never invent features, prices"), std::string::npos);
  EXPECT_TRUE(amazon_.refusals().empty()) << amazon_.refusals()[0];

  auto h = host("history --plugin afm --json");
  ASSERT_EQ(h.code, 0) << h.err;
  json::array history = json::parse(h.out).as_array();
  ASSERT_EQ(history.size(), 1u);
  const auto &rec = history[0].as_object();
  EXPECT_EQ(rec.at("kind").as_string(), "pitch");
  EXPECT_EQ(rec.at("status").as_string(), "published");
  EXPECT_EQ(rec.at("remote_id").as_string(), posts[0].id);
  EXPECT_EQ(rec.at("body").as_string(), posts[0].text);
}

TEST_F(AfmHost, PitchShowsWithoutSharing) {
  add_shop();
  std::string id = add_mug();
  json::object p = pitch(id);
  EXPECT_EQ(p.at("pitch").as_string(),
            std::string(kGoodPitch) + " #ad\nhttps://www.amazon.com/dp/B07XJ8C8F5?tag=shop-20");
  EXPECT_LE(p.at("length").as_int64(), 280);
  EXPECT_TRUE(x_.posts().empty());
  // The second pitch reads the facts from the cache: the page is fetched once.
  pitch(id);
  EXPECT_EQ(amazon_.page_fetches(), 1);
  pitch(id, "--no-cache");
  EXPECT_EQ(amazon_.page_fetches(), 2);
}

TEST_F(AfmHost, CaptchaIsReportedAndNeverPitched) {
  add_shop();
  std::string id = add_mug();
  amazon_.captcha_always(true);
  auto r = host("--plugin afm run --product " + id);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("Amazon asked for a captcha; configure Creators API credentials"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(llm_.chat_count(), 0u);
  EXPECT_TRUE(x_.posts().empty());
}

TEST_F(AfmHost, PageWithoutBulletsIsPitchedFromTheTitleOnly) {
  add_shop();
  auto r = host("--plugin afm add --asin b0notebook");
  ASSERT_EQ(r.code, 0) << r.err;
  std::string id(json::parse(r.out).as_object().at("id").as_string());
  llm_.set_answers({"A dotted A5 paperback notebook for your plans."});
  json::object p = pitch(id);
  std::string prompt = conversation(llm_, 0);
  EXPECT_NE(prompt.find("Dotted Paperback Notebook, A5"), std::string::npos);
  EXPECT_EQ(prompt.find("Features:"), std::string::npos);
  EXPECT_NE(prompt.find("do not mention a price"), std::string::npos);
}

TEST_F(AfmHost, ShortLinkIsFollowedAndItsTagKept) {
  add_shop();
  amazon_.add_short_link("3Kx9zQp", "/Stoneware-Coffee-Mug/dp/B07XJ8C8F5/ref=cm_sw?tag=friend-20");
  auto r = host("--plugin afm add --link " + amazon_.base_url() + "/s/3Kx9zQp");
  ASSERT_EQ(r.code, 0) << r.err;
  json::object product = json::parse(r.out).as_object();
  EXPECT_EQ(product.at("asin").as_string(), kMug);
  EXPECT_EQ(product.at("partner_tag").as_string(), "friend-20");
  EXPECT_EQ(product.at("shared_link").as_string(),
            "https://www.amazon.com/dp/B07XJ8C8F5?tag=friend-20");
}

// A host that merely contains ".amazon." is no marketplace: refused, naming the link, before
// anything is fetched or stored.
TEST_F(AfmHost, LinkOnALookalikeHostIsRefusedNamingIt) {
  add_shop();
  for (std::string link :
       {"https://www.amazon.example-shop.com/dp/B07XJ8C8F5",
        "https://amazon.evil.example/Mug/dp/B07XJ8C8F5", "http://127.0.0.1:1/dp/B07XJ8C8F5"}) {
    auto r = host("--plugin afm add --link " + shell_quote(link));
    EXPECT_NE(r.code, 0) << link;
    EXPECT_NE(r.err.find(link), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not an Amazon link"), std::string::npos) << r.err;
  }
  auto r = host("--plugin afm add --asin B07XJ8C8F5 --marketplace www.amazon.example-shop.com");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("www.amazon.example-shop.com"), std::string::npos) << r.err;
  auto l = host("--plugin afm list");
  ASSERT_EQ(l.code, 0) << l.err;
  EXPECT_TRUE(json::parse(l.out).as_array().empty()) << l.out;
}

// With the default configuration a user's link never reaches a loopback address, even on a
// host afm accepts (here the configured page_base, standing in for amzn.to): refused before
// the fake sees a request.
TEST_F(AfmHost, LinkTowardsLoopbackIsRefusedWithTheDefaultConfiguration) {
  add_shop();
  json::object config{{"plugins", {{"afm", amazon_.plugin_config()}}},
                      {"llm", llm_.host_config()},
                      {"log", {{"file", false}}}};
  write_config(config);
  amazon_.add_short_link("3Kx9zQp", "/Stoneware-Coffee-Mug/dp/B07XJ8C8F5?tag=friend-20");
  auto r = host("--plugin afm add --link " + amazon_.base_url() + "/s/3Kx9zQp");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("127.0.0.1 (a loopback address)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("http.allow_private_addresses"), std::string::npos) << r.err;
  EXPECT_EQ(amazon_.requests_received(), 0u);
}

TEST_F(AfmHost, ListAndRemove) {
  add_shop();
  std::string id = add_mug();
  auto l = host("--plugin afm list");
  ASSERT_EQ(l.code, 0) << l.err;
  json::array list = json::parse(l.out).as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].as_object().at("share_with"), nullptr);  // the account's default
  auto rm = host("--plugin afm remove --product " + id);
  ASSERT_EQ(rm.code, 0) << rm.err;
  EXPECT_EQ(json::parse(host("--plugin afm list").out).as_array().size(), 0u);
  auto again = host("--plugin afm remove --product " + id);
  EXPECT_NE(again.code, 0);
  EXPECT_NE(again.err.find(id), std::string::npos);
}

TEST_F(AfmHost, UnknownPublisherIsRefusedAtAdd) {
  add_shop();
  auto r = host("--plugin afm add --asin B07XJ8C8F5 --share-with nosuch:me");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  EXPECT_EQ(json::parse(host("--plugin afm list").out).as_array().size(), 0u);
}

TEST_F(AfmHost, TooLongDraftIsAskedAgainWithItsMeasuredLength) {
  add_shop();
  std::string id = add_mug();
  llm_.set_answers({std::string(300, 'a'), kGoodPitch});
  auto r = host("--plugin afm run --product " + id);
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(llm_.chat_count(), 2u);
  std::string second = conversation(llm_, 1);
  EXPECT_NE(
      second.find("It is 300 characters long as the platform counts them; it must be at most 252"),
      std::string::npos)
      << second;
  ASSERT_EQ(x_.posts().size(), 1u);
  EXPECT_EQ(x_.posts()[0].text.rfind(kGoodPitch, 0), 0u);
}

TEST_F(AfmHost, InventedPriceIsRefusedAndNeverShared) {
  add_shop();
  std::string id = add_mug();
  llm_.set_answers({"Grab this mug for only $9.99!"});
  auto r = host("--plugin afm run --product " + id);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("$9.99"), std::string::npos) << r.err;
  EXPECT_EQ(llm_.chat_count(), 3u);  // the first draft and two re-asks
  EXPECT_NE(conversation(llm_, 1).find("not in the product data"), std::string::npos);
  EXPECT_TRUE(x_.posts().empty());
}

// ---- Creators API

class AfmCreators : public AfmHost {
 protected:
  void add_api_shop(const std::string &version, const std::string &tag = "shop-20") {
    amazon_.add_credentials("cid-" + version, "csecret-" + version, version);
    auto r = host("accounts add --plugin afm --nickname shop --set partner_tag=" + tag +
                  " --set share_with=twitter:cook --set creators_credential_id=cid-" + version +
                  " --set creators_credential_secret=csecret-" + version +
                  " --set creators_version=" + version);
    ASSERT_EQ(r.code, 0) << r.err;
  }
};

TEST_F(AfmCreators, TokenAndGetItemsV3AreCachedForADay) {
  add_api_shop("3.x");
  std::string id = add_mug();
  json::object p = pitch(id);
  EXPECT_EQ(p.at("facts_source").as_string(), "creators-api");
  EXPECT_EQ(amazon_.tokens_issued(), 1);
  EXPECT_EQ(amazon_.page_fetches(), 0);
  auto calls = amazon_.server().requests("/catalog/v1/getItems");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].header("Authorization").value_or(""), "Bearer tok-3.x-1");
  json::object body = calls[0].json().as_object();
  EXPECT_EQ(json::serialize(body.at("itemIds")), R"(["B07XJ8C8F5"])");
  EXPECT_EQ(body.at("partnerTag").as_string(), "shop-20");
  EXPECT_EQ(body.at("marketplace").as_string(), "www.amazon.com");
  std::string prompt = conversation(llm_, 0);
  EXPECT_NE(prompt.find("Dishwasher and microwave safe"), std::string::npos);
  EXPECT_NE(prompt.find("Price: $18.99"), std::string::npos);
  pitch(id);
  EXPECT_EQ(amazon_.get_items_calls(), 1);  // from the cache
  EXPECT_TRUE(amazon_.refusals().empty()) << amazon_.refusals()[0];
  // The stored token is reused by the next process.
  pitch(id, "--no-cache");
  EXPECT_EQ(amazon_.tokens_issued(), 1);
  EXPECT_EQ(amazon_.get_items_calls(), 2);
}

TEST_F(AfmCreators, V2CredentialsUseCognitoFormAndVersionedAuthorization) {
  add_api_shop("2.x");
  std::string id = add_mug();
  json::object p = pitch(id);
  EXPECT_EQ(p.at("facts_source").as_string(), "creators-api");
  auto tokens = amazon_.server().requests("/oauth2/token");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(
      tokens[0].header("Content-Type").value_or("").rfind("application/x-www-form-urlencoded", 0),
      0u);
  auto calls = amazon_.server().requests("/catalog/v1/getItems");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].header("Authorization").value_or(""), "Bearer tok-2.x-1, Version 2.x");
}

TEST_F(AfmCreators, ExpiredTokenIsRefreshedOnce) {
  add_api_shop("3.x");
  std::string id = add_mug();
  pitch(id);
  amazon_.expire_tokens();
  json::object p = pitch(id, "--no-cache");
  EXPECT_EQ(p.at("facts_source").as_string(), "creators-api");
  EXPECT_EQ(amazon_.tokens_issued(), 2);
  EXPECT_EQ(amazon_.get_items_calls(), 3);  // ok, expired, ok with the new token
}

TEST_F(AfmCreators, NotEligibleSaysWhatToDo) {
  add_api_shop("3.x");
  std::string id = add_mug();
  amazon_.associate_not_eligible(true);
  auto r = host("--plugin afm run --product " + id);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("not eligible for the Creators API"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AssociateNotEligible"), std::string::npos);
  EXPECT_EQ(r.err.find("csecret"), std::string::npos);  // no secret in errors
  EXPECT_TRUE(x_.posts().empty());
}

TEST_F(AfmCreators, InvalidPartnerTagSaysWhatToDo) {
  add_api_shop("3.x", "wrong-20");
  std::string id = add_mug();
  auto r = host("--plugin afm pitch --product " + id);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("partner tag 'wrong-20' is not valid for www.amazon.com"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("partner_tag"), std::string::npos);
}

TEST_F(AfmCreators, PartialErrorInA200IsReported) {
  add_api_shop("3.x");
  auto r = host("--plugin afm add --asin B0NOTEBOOK");  // a page exists, the API has no item
  ASSERT_EQ(r.code, 0) << r.err;
  std::string id(json::parse(r.out).as_object().at("id").as_string());
  auto p = host("--plugin afm pitch --product " + id);
  EXPECT_NE(p.code, 0);
  EXPECT_NE(p.err.find("ItemNotAccessible"), std::string::npos) << p.err;
  EXPECT_EQ(llm_.chat_count(), 0u);
}

TEST_F(AfmCreators, ThrottlingWaitsAsTold) {
  add_api_shop("3.x");
  std::string id = add_mug();
  amazon_.throttle_next(1, 1);
  json::object p = pitch(id);
  EXPECT_EQ(p.at("facts_source").as_string(), "creators-api");
  auto calls = amazon_.server().requests("/catalog/v1/getItems");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_GE(calls[1].received_at - calls[0].received_at, std::chrono::milliseconds(950));
}

TEST_F(AfmCreators, ThrottlingLongerThanAllowedFails) {
  add_api_shop("3.x");
  std::string id = add_mug();
  amazon_.throttle_next(5, 60);
  auto r = host("--plugin afm pitch --product " + id);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("throttling"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("max_throttle_wait_secs"), std::string::npos);
  EXPECT_EQ(amazon_.get_items_calls(), 1);
}

}  // namespace
