// tests/support/amazon/fake_amazon.hpp — a loopback fake of Amazon
// (docs/protocols/amazon-creators-api.md, amazon-product-pages.md) on the fake-server kit: the
// Creators API token endpoints of both credential
// generations (v3.x: JSON at /auth/o2/token; v2.x: form at the Cognito /oauth2/token), getItems
// at /catalog/v1/getItems with bearer tokens checked against their generation, and product
// pages at /dp/ASIN that show a robot check to anything that does not look like a browser,
// and short links at /s/CODE answering 301. Wrong requests are refused as Amazon does.
// Faults: expired tokens, AssociateNotEligible, throttling with retryAfterSeconds, a captcha
// for every page.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeAmazon {
 public:
  struct Item {
    std::string asin, title;
    std::vector<std::string> features;
    std::string display_amount;  // "" = no offer
    double amount = 0;
    std::string currency = "USD";
  };

  FakeAmazon();
  ~FakeAmazon();

  FakeServer &server() { return server_; }
  std::string base_url() const { return server_.base_url(); }
  // The afm plugin's section of automuse.json pointing at this fake (pages, the Creators API
  // and both token endpoints), with throttling waits capped at 10 s.
  boost::json::object plugin_config() const;

  // Creators API.
  void add_credentials(const std::string &id, const std::string &secret,
                       const std::string &version);  // "3.x" or "2.x"
  void add_item(Item item);                          // served by getItems
  void add_partner_tag(const std::string &tag);      // tags valid for every credential
  void expire_tokens();                              // every token issued so far now 401s
  void associate_not_eligible(bool on);
  void throttle_next(int count, int retry_after_seconds);  // 429 ThrottleException

  // Web.
  void add_page(const std::string &asin, std::string html);
  void captcha_always(bool on);
  void add_short_link(const std::string &code, const std::string &location);

  int tokens_issued() const;
  int get_items_calls() const;
  int page_fetches() const;
  size_t requests_received() const;  // every request on any route
  // Why requests were refused (bad body, missing header...), for test messages.
  std::vector<std::string> refusals() const;

  // The robot check page Amazon shows bots.
  static std::string captcha_page();

 private:
  struct State;
  std::shared_ptr<State> state_;
  FakeServer server_;
};

}  // namespace automuse::testing
