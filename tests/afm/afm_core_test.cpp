// tests/afm/afm_core_test.cpp — the afm plugin's host-free parts: the ASIN in every common
// Amazon URL form and the tagged link, product pages parsed with libxml2 (a normal page,
// nested and empty bullets, a captcha page, no bullets), Creators API answers and the pitch
// rules (the budget the publisher's measure leaves, links and prices only from the facts), and
// reading plugins.afm and afm accounts (defaults; errors naming the field).
#include <gtest/gtest.h>

#include <algorithm>
#include <automuse/cpp/error.hpp>
#include <fstream>
#include <stdexcept>
#include <string>

#include "amazon_url.hpp"
#include "creators_api.hpp"
#include "pitch_check.hpp"
#include "product_page.hpp"
#include "settings.hpp"

namespace {

std::string data(const std::string &name) {
  std::ifstream in(std::string(AFM_DATA_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AmazonUrl, AsinFromEveryCommonForm) {
  struct Case {
    const char *link, *asin, *marketplace, *tag;
  } cases[] = {
      {"https://www.amazon.com/dp/B07XJ8C8F5", "B07XJ8C8F5", "www.amazon.com", ""},
      {"https://www.amazon.com/Stoneware-Coffee-Mug-Blue/dp/B07XJ8C8F5/ref=sr_1_3?crid=2&"
       "keywords=mug&qid=1&sr=8-3&th=1",
       "B07XJ8C8F5", "www.amazon.com", ""},
      {"https://www.amazon.de/gp/product/b07xj8c8f5?psc=1&tag=mine-21", "B07XJ8C8F5",
       "www.amazon.de", "mine-21"},
      {"http://amazon.co.uk/exec/obidos/ASIN/0306406152/ref=nosim", "0306406152",
       "www.amazon.co.uk", ""},
      {"https://www.amazon.com/exec/obidos/tg/detail/-/0306406152", "0306406152", "www.amazon.com",
       ""},
      {"https://smile.amazon.com/gp/aw/d/B07XJ8C8F5/", "B07XJ8C8F5", "www.amazon.com", ""},
      {"https://www.amazon.co.jp/o/B07XJ8C8F5", "B07XJ8C8F5", "www.amazon.co.jp", ""},
      {"https://www.amazon.com/gp/offer-listing?ASIN=B07XJ8C8F5", "B07XJ8C8F5", "www.amazon.com",
       ""},
      {"HTTPS://WWW.AMAZON.COM/DP/B07XJ8C8F5?tag=x-20#reviews", "B07XJ8C8F5", "www.amazon.com",
       "x-20"},
  };
  for (const auto &c : cases) {
    afm::LinkInfo info = afm::read_link(c.link);
    EXPECT_EQ(info.asin, c.asin) << c.link;
    EXPECT_EQ(info.marketplace, c.marketplace) << c.link;
    EXPECT_EQ(info.partner_tag, c.tag) << c.link;
  }
}

TEST(AmazonUrl, ShortLinksAndNonProductsHaveNoAsin) {
  EXPECT_EQ(afm::read_link("https://amzn.to/3Kx9zQp").asin, "");
  EXPECT_EQ(afm::read_link("https://a.co/d/abc1234").asin, "");
  EXPECT_EQ(afm::read_link("https://www.amazon.com/s?k=mug").asin, "");
  // "dp" followed by something that is not an ASIN is not one.
  EXPECT_EQ(afm::read_link("https://www.amazon.com/dp/short").asin, "");
  EXPECT_THROW(afm::read_link("ftp://www.amazon.com/dp/B07XJ8C8F5"), std::invalid_argument);
  EXPECT_THROW(afm::read_link("not a url"), std::invalid_argument);
}

// Marketplaces and short-link hosts are an explicit list, matched exactly: a host that only
// contains ".amazon." is refused with an error naming the link.
TEST(AmazonUrl, OnlyAmazonHostsAreLinks) {
  for (const char *link :
       {"https://www.amazon.example-shop.com/dp/B07XJ8C8F5",
        "https://amazon.evil.example/dp/B07XJ8C8F5",
        "https://www.amazon.de.evil.example/dp/B07XJ8C8F5", "https://notamazon.com/dp/B07XJ8C8F5",
        "https://shop.amazon.com/dp/B07XJ8C8F5", "https://amzn.to.evil/x",
        "http://127.0.0.1:8080/dp/B07XJ8C8F5", "http://[::1]/dp/B07XJ8C8F5"}) {
    try {
      afm::read_link(link);
      ADD_FAILURE() << link << " was accepted";
    } catch (const std::invalid_argument &e) {
      EXPECT_NE(std::string(e.what()).find(link), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("not an Amazon link"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(afm::read_link("https://amazon.com.au/dp/B07XJ8C8F5").marketplace, "www.amazon.com.au");
  EXPECT_EQ(afm::read_link("https://WWW.AMAZON.SA/dp/B07XJ8C8F5").marketplace, "www.amazon.sa");
  EXPECT_EQ(afm::read_link("https://www.amazon.com.be/dp/B07XJ8C8F5").marketplace,
            "www.amazon.com.be");
  for (const char *short_link : {"https://amzn.to/3Kx", "https://amzn.eu/d/1x",
                                 "https://amzn.asia/d/2y", "https://a.co/d/3z"})
    EXPECT_EQ(afm::read_link(short_link).marketplace, "") << short_link;
  // The configured page_base (a stand-in for Amazon in tests) is accepted, on its port only.
  EXPECT_EQ(afm::read_link("http://127.0.0.1:8080/dp/B07XJ8C8F5", "http://127.0.0.1:8080").asin,
            "B07XJ8C8F5");
  EXPECT_THROW(afm::read_link("http://127.0.0.1:8081/dp/B07XJ8C8F5", "http://127.0.0.1:8080"),
               std::invalid_argument);
}

TEST(AmazonUrl, MarketplaceNamesAreChecked) {
  EXPECT_EQ(afm::marketplace_host("amazon.de"), "www.amazon.de");
  EXPECT_EQ(afm::marketplace_host("WWW.Amazon.co.JP"), "www.amazon.co.jp");
  EXPECT_TRUE(afm::is_marketplace_host("www.amazon.pl"));
  EXPECT_FALSE(afm::is_marketplace_host("www.amazon.example-shop.com"));
  EXPECT_TRUE(afm::is_short_link_host("AMZN.TO"));
  EXPECT_FALSE(afm::is_short_link_host("amzn.to.evil"));
  EXPECT_THROW(afm::marketplace_host("www.amazon.example-shop.com"), std::invalid_argument);
  EXPECT_THROW(afm::marketplace_host("192.168.1.10"), std::invalid_argument);
}

TEST(AmazonUrl, SharedLinkAlwaysCarriesThePartnerTag) {
  EXPECT_EQ(afm::tagged_link("www.amazon.de", "B07XJ8C8F5", "mine-21"),
            "https://www.amazon.de/dp/B07XJ8C8F5?tag=mine-21");
  EXPECT_EQ(afm::tagged_link("", "B07XJ8C8F5", "x-20"),
            "https://www.amazon.com/dp/B07XJ8C8F5?tag=x-20");
  EXPECT_THROW(afm::tagged_link("www.amazon.com", "B07XJ8C8F5", ""), std::invalid_argument);
  EXPECT_THROW(afm::tagged_link("www.amazon.com", "B07XJ8C8F5", "x&y=1"), std::invalid_argument);
  EXPECT_THROW(afm::tagged_link("www.amazon.com", "nope", "x-20"), std::invalid_argument);
  EXPECT_EQ(afm::resolve_location("https://amzn.to/3Kx", "/Mug/dp/B07XJ8C8F5?tag=a-20"),
            "https://amzn.to/Mug/dp/B07XJ8C8F5?tag=a-20");
  EXPECT_EQ(afm::resolve_location("https://amzn.to/3Kx", "https://www.amazon.com/dp/B07XJ8C8F5"),
            "https://www.amazon.com/dp/B07XJ8C8F5");
}

TEST(ProductPage, NormalPage) {
  auto r = afm::parse_product_page(data("normal.html"), "B07XJ8C8F5");
  ASSERT_EQ(r.kind, afm::PageResult::Kind::product) << r.reason;
  EXPECT_EQ(r.facts.title, "Stoneware Coffee Mug, 16 oz, Matte Blue");  // no-break space folded
  ASSERT_EQ(r.facts.features.size(), 3u);
  EXPECT_EQ(r.facts.features[0], "Holds 16 oz (470 ml) of coffee or tea");
  EXPECT_EQ(r.facts.features[2], "Wide handle that fits four fingers");
  EXPECT_EQ(r.facts.price, "$18.99");
  EXPECT_EQ(r.facts.source, "product-page");
  EXPECT_EQ(r.facts.asin, "B07XJ8C8F5");
}

TEST(ProductPage, NestedAndEmptyBullets) {
  auto r = afm::parse_product_page(data("nested_bullets.html"), "B0TRAIL001");
  ASSERT_EQ(r.kind, afm::PageResult::Kind::product) << r.reason;
  EXPECT_EQ(r.facts.title, "Trail Headlamp 400 Lumen");
  ASSERT_EQ(r.facts.features.size(), 3u);
  EXPECT_EQ(r.facts.features[0], "Bright : 400 lumens on the high setting");
  EXPECT_EQ(r.facts.features[1], "Red light mode keeps night vision");
  EXPECT_EQ(r.facts.features[2], "USB-C rechargeable, 30 hours on low");  // duplicate dropped
  EXPECT_EQ(r.facts.price, "$29.95");
}

TEST(ProductPage, CaptchaIsRecognised) {
  auto r = afm::parse_product_page(data("captcha.html"), "B0C1234567");
  EXPECT_EQ(r.kind, afm::PageResult::Kind::captcha);
  EXPECT_TRUE(r.facts.title.empty());
}

TEST(ProductPage, NoBulletsStillHasTitleAndNoPrice) {
  auto r = afm::parse_product_page(data("no_bullets.html"), "B0NOTEBOOK");
  ASSERT_EQ(r.kind, afm::PageResult::Kind::product) << r.reason;
  EXPECT_EQ(r.facts.title, "Dotted Paperback Notebook, A5");
  EXPECT_TRUE(r.facts.features.empty());
  EXPECT_TRUE(r.facts.price.empty());
}

TEST(ProductPage, NotAProductPage) {
  auto r = afm::parse_product_page(
      "<html><body><p>Sorry! We couldn't find that page.</p></body></html>", "B0XXXXXXXX");
  EXPECT_EQ(r.kind, afm::PageResult::Kind::not_a_product);
  EXPECT_NE(r.reason.find("productTitle"), std::string::npos);
}

TEST(CreatorsApi, RequestsOfBothGenerations) {
  afm::Credentials v3{"id-3", "s3cr&t", "3.x"};
  auto t3 = afm::token_request(v3);
  EXPECT_EQ(t3.content_type, "application/json");
  EXPECT_EQ(
      t3.body,
      R"({"grant_type":"client_credentials","client_id":"id-3","client_secret":"s3cr&t","scope":"creatorsapi::default"})");
  afm::Credentials v2{"id-2", "s3cr&t", "2.x"};
  auto t2 = afm::token_request(v2);
  EXPECT_EQ(t2.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(t2.body,
            "grant_type=client_credentials&client_id=id-2&client_secret=s3cr%26t&scope="
            "creatorsapi/default");
  EXPECT_EQ(afm::authorization("T", "3.x"), "Bearer T");
  EXPECT_EQ(afm::authorization("T", "2.x"), "Bearer T, Version 2.x");
}

TEST(CreatorsApi, AnswersMeanWhatTheyShould) {
  auto ok = afm::interpret_get_items(
      200,
      R"({"itemsResult":{"items":[{"asin":"B07XJ8C8F5","itemInfo":{"title":{"displayValue":"Mug"},
      "features":{"displayValues":["Blue",""]}},"offersV2":{"listings":[{"price":{"money":{
      "amount":18.99,"currency":"USD","displayAmount":"$18.99"}}}]}}]}})",
      "B07XJ8C8F5", "t-20", "www.amazon.com");
  ASSERT_EQ(ok.kind, afm::ItemsOutcome::Kind::facts) << ok.message;
  EXPECT_EQ(ok.facts.title, "Mug");
  EXPECT_EQ(ok.facts.features, std::vector<std::string>{"Blue"});
  EXPECT_EQ(ok.facts.price, "$18.99");

  auto partial = afm::interpret_get_items(
      200,
      R"({"errors":[{"type":"ItemNotAccessible","message":"The ItemId B07XJ8C8F5 is not accessible"}]})",
      "B07XJ8C8F5", "t-20", "www.amazon.com");
  EXPECT_EQ(partial.kind, afm::ItemsOutcome::Kind::failed);
  EXPECT_NE(partial.message.find("ItemNotAccessible"), std::string::npos);

  auto expired = afm::interpret_get_items(
      401, R"({"type":"UnauthorizedException","message":"expired","reason":"TokenExpired"})",
      "B07XJ8C8F5", "t-20", "www.amazon.com");
  EXPECT_EQ(expired.kind, afm::ItemsOutcome::Kind::token_expired);

  auto throttled = afm::interpret_get_items(
      429, R"({"type":"ThrottleException","message":"Rate exceeded","retryAfterSeconds":7})",
      "B07XJ8C8F5", "t-20", "www.amazon.com");
  EXPECT_EQ(throttled.kind, afm::ItemsOutcome::Kind::throttled);
  EXPECT_EQ(throttled.retry_after_secs, 7);

  auto not_eligible = afm::interpret_get_items(
      403, R"({"type":"AccessDeniedException","message":"no","reason":"AssociateNotEligible"})",
      "B07XJ8C8F5", "t-20", "www.amazon.com");
  EXPECT_EQ(not_eligible.kind, afm::ItemsOutcome::Kind::failed);
  EXPECT_NE(not_eligible.message.find("not eligible"), std::string::npos);
  EXPECT_NE(not_eligible.message.find("creators_credential_id"), std::string::npos);
}

// A stand-in for a publisher's rules (afm asks the real one through automuse.publish/1): one
// per byte, and a link — anything from "https://" to the next space — counted as 10.
afm::Measured toy_measure(const std::string &text) {
  afm::Measured m;
  for (size_t at = 0; at < text.size();) {
    const size_t link = text.find("https://", at);
    if (link == std::string::npos) {
      m.length += static_cast<int>(text.size() - at);
      break;
    }
    const size_t end = std::min(text.find(' ', link), text.size());
    m.length += static_cast<int>(link - at) + 10;
    ++m.links;
    at = end;
  }
  return m;
}

TEST(PitchCheck, BudgetIsWhatThePublisherLeavesAfterDisclosureAndLink) {
  const std::string link = "https://www.amazon.com/dp/B07XJ8C8F5?tag=mine-20";
  // body + " #ad" (4) + "\n" (1) + link (10 by the toy publisher's rules)
  EXPECT_EQ(afm::body_budget(280, "#ad", link, toy_measure), 280 - 4 - 1 - 10);
  EXPECT_EQ(toy_measure(afm::compose("Great mug", "#ad", link)).length, 9 + 4 + 1 + 10);
  EXPECT_EQ(afm::body_budget(100, "", link, toy_measure), 100 - 1 - 10);
}

TEST(PitchCheck, PricesOnlyFromTheFacts) {
  afm::Facts f;
  f.title = "Mug";
  f.price = "$1,299.00";
  f.features = {"Comes with a $10 gift card"};
  EXPECT_FALSE(afm::problem_with("Only $1299 today.", f, 200, toy_measure));
  EXPECT_FALSE(afm::problem_with("Includes a $10 gift card.", f, 200, toy_measure));
  auto invented = afm::problem_with("Now just $999!", f, 200, toy_measure);
  ASSERT_TRUE(invented);
  EXPECT_NE(invented->find("$999"), std::string::npos);
  EXPECT_TRUE(afm::problem_with("Save 20 EUR now", f, 200, toy_measure));
  afm::Facts no_price;
  no_price.title = "Notebook";
  auto any = afm::problem_with("Yours for $5.", no_price, 200, toy_measure);
  ASSERT_TRUE(any);
  EXPECT_NE(any->find("no price is known"), std::string::npos);
  auto link = afm::problem_with("See https://evil.example/x", f, 200, toy_measure);
  ASSERT_TRUE(link);
  EXPECT_NE(link->find("link"), std::string::npos);
  auto long_one = afm::problem_with(std::string(60, 'a'), f, 50, toy_measure);
  ASSERT_TRUE(long_one);
  EXPECT_NE(long_one->find("60 characters"), std::string::npos);
  EXPECT_TRUE(afm::only_too_long(std::string(60, 'a'), f, toy_measure));
  EXPECT_FALSE(afm::only_too_long("Now just $999!", f, toy_measure));
}

TEST(PitchCheck, CleansTheAnswer) {
  EXPECT_EQ(afm::clean_answer("  Pitch: \"A mug you will love.\"\n"), "A mug you will love.");
  EXPECT_EQ(afm::clean_answer("“Quoted”"), "Quoted");
}

}  // namespace

namespace {

// The message of the am::error(AM_INVALID_ARGUMENT) `f` throws.
template <class F>
std::string settings_error(F &&f) {
  try {
    f();
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

}  // namespace

TEST(AfmSettings, DefaultsAndOverrides) {
  const afm::PluginSettings defaults = afm::parse_settings("");
  EXPECT_EQ(defaults.creators_api_base, "https://creatorsapi.amazon");
  EXPECT_EQ(defaults.disclosure, "#ad");
  EXPECT_EQ(defaults.llm_rewrites, 2);
  const afm::PluginSettings s = afm::parse_settings(
      R"({"creators_api_base": "http://127.0.0.1:8080/", "page_base": "", "llm_rewrites": 0,
          "disclosure": null, "facts_ttl_secs": 60})");
  EXPECT_EQ(s.creators_api_base, "http://127.0.0.1:8080");
  EXPECT_EQ(s.page_base, "");
  EXPECT_EQ(s.llm_rewrites, 0);
  EXPECT_EQ(s.disclosure, "#ad");
  EXPECT_EQ(s.facts_ttl_secs, 60);
}

TEST(AfmSettings, ErrorsNameTheField) {
  EXPECT_EQ(settings_error([] { afm::parse_settings(R"({"llm_rewrites": 11})"); }),
            "automuse.json: plugins.afm.llm_rewrites must be in 0..10");
  EXPECT_EQ(settings_error([] { afm::parse_settings(R"({"token_url_v3": "amazon.com"})"); }),
            "automuse.json: plugins.afm.token_url_v3 must be an http(s) URL");
  EXPECT_EQ(settings_error([] { afm::parse_settings(R"({"disclosure": 1})"); }),
            "automuse.json: plugins.afm.disclosure must be a string");
  EXPECT_EQ(settings_error([] { afm::parse_settings("[]"); }),
            "automuse.json: plugins.afm is not an object");
}

TEST(AfmSettings, Accounts) {
  const afm::Account a = afm::parse_account(
      R"({"id": "7", "nickname": "shop", "fields": {"partner_tag": "shop-20",
          "share_with": "twitter:chef", "creators_version": "2.x"}})");
  EXPECT_EQ(a.nickname, "shop");
  EXPECT_EQ(a.partner_tag, "shop-20");
  EXPECT_EQ(a.marketplace, "www.amazon.com");
  EXPECT_EQ(a.creators_version, "2.x");
  EXPECT_EQ(settings_error([] {
              afm::parse_account(R"({"id": "7", "nickname": "shop", "fields": {"language": 3}})");
            }),
            "afm account 'shop': language must be a string");
  EXPECT_EQ(settings_error([] {
              afm::parse_account(
                  R"({"id": "7", "nickname": "shop", "fields": {"share_with": "twitter"}})");
            }),
            "afm account 'shop': share_with must be PLUGIN:ACCOUNT (e.g. twitter:main), not "
            "'twitter'");
}
