// tests/support/amazon/fake_amazon.cpp — the Amazon fake's routes.
#include "support/amazon/fake_amazon.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>
#include <mutex>

namespace automuse::testing {
namespace json = boost::json;

struct FakeAmazon::State {
  mutable std::mutex mutex;
  std::map<std::string, std::pair<std::string, std::string>> credentials;  // id -> secret, version
  std::map<std::string, std::string> tokens;                               // token -> version
  std::set<std::string> expired;
  std::map<std::string, Item> items;
  std::set<std::string> partner_tags;
  bool not_eligible = false;
  int throttle = 0, retry_after = 1;
  std::map<std::string, std::string> pages;
  bool captcha = false;
  std::map<std::string, std::string> short_links;
  int issued = 0, get_items = 0, page_fetches = 0;
  std::vector<std::string> refusals;

  Reply refuse(unsigned status, const std::string &type, const std::string &message) {
    refusals.push_back(type + ": " + message);
    return Reply::json(json::object{{"type", type}, {"message", message}}, status);
  }
};

namespace {

std::string field(const json::object &o, const char *k) {
  auto *v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string FakeAmazon::captcha_page() {
  return R"(<!doctype html><html lang="en"><head><title>Robot Check</title></head><body>
<div class="a-container"><h4>Enter the characters you see below</h4>
<p class="a-last">Sorry, we just need to make sure you're not a robot.</p>
<form method="get" action="/errors/validateCaptcha" name="">
<input type="hidden" name="amzn" value="abc"><img src="https://images-na.ssl-images-amazon.com/captcha/x.jpg">
<input autocomplete="off" id="captchacharacters" name="field-keywords" type="text">
<button type="submit">Continue shopping</button></form></div></body></html>)";
}

FakeAmazon::FakeAmazon() : state_(std::make_shared<State>()) {
  auto st = state_;
  auto issue = [st](const std::string &id, const std::string &secret, const std::string &scope,
                    const std::string &wanted_scope, const std::string &version,
                    const std::string &grant) -> Reply {
    std::lock_guard lock(st->mutex);
    if (grant != "client_credentials") {
      st->refusals.push_back("token: grant_type " + grant);
      return Reply::json(R"({"error":"unsupported_grant_type"})", 400);
    }
    if (scope != wanted_scope) {
      st->refusals.push_back("token: scope " + scope);
      return Reply::json(R"({"error":"invalid_scope"})", 400);
    }
    auto it = st->credentials.find(id);
    if (it == st->credentials.end() || it->second.first != secret || it->second.second != version) {
      st->refusals.push_back("token: unknown client " + id);
      return Reply::json(
          R"({"error":"invalid_client","error_description":"Client authentication failed"})", 401);
    }
    std::string token = "tok-" + version + "-" + std::to_string(++st->issued);
    st->tokens[token] = version;
    return Reply::json(
        json::object{{"access_token", token}, {"expires_in", 3600}, {"token_type", "bearer"}});
  };

  // v3.x: Login with Amazon, JSON.
  server_.route("POST", "/auth/o2/token", [issue](const ReceivedRequest &r) {
    auto ct = r.header("Content-Type").value_or("");
    if (ct.rfind("application/json", 0) != 0)
      return Reply::json(R"({"error":"invalid_request","error_description":"JSON expected"})", 400);
    json::object o;
    try {
      o = r.json().as_object();
    } catch (...) {
      return Reply::json(R"({"error":"invalid_request"})", 400);
    }
    return issue(field(o, "client_id"), field(o, "client_secret"), field(o, "scope"),
                 "creatorsapi::default", "3.x", field(o, "grant_type"));
  });
  // v2.x: Cognito, form-encoded.
  server_.route("POST", "/oauth2/token", [issue](const ReceivedRequest &r) {
    auto ct = r.header("Content-Type").value_or("");
    if (ct.rfind("application/x-www-form-urlencoded", 0) != 0)
      return Reply::json(R"({"error":"invalid_request"})", 400);
    std::map<std::string, std::string> form;
    auto params = boost::urls::parse_query(r.body);
    if (!params) return Reply::json(R"({"error":"invalid_request"})", 400);
    for (auto p : *params) form[std::string(p.key)] = std::string(p.value);
    return issue(form["client_id"], form["client_secret"], form["scope"], "creatorsapi/default",
                 "2.x", form["grant_type"]);
  });

  server_.route("POST", "/catalog/v1/getItems", [st](const ReceivedRequest &r) {
    std::lock_guard lock(st->mutex);
    ++st->get_items;
    // Authorization: "Bearer T" for 3.x tokens, "Bearer T, Version 2.x" for 2.x ones.
    std::string auth = r.header("Authorization").value_or("");
    std::string token, version = "3.x";
    if (auth.rfind("Bearer ", 0) == 0) token = auth.substr(7);
    if (auto comma = token.find(", Version "); comma != std::string::npos) {
      version = token.substr(comma + 10);
      token = token.substr(0, comma);
    }
    auto t = st->tokens.find(token);
    if (t == st->tokens.end() || t->second != version)
      return st->refuse(401, "UnauthorizedException", "The access token is invalid");
    if (st->expired.count(token))
      return Reply::json(json::object{{"type", "UnauthorizedException"},
                                      {"message", "The access token has expired"},
                                      {"reason", "TokenExpired"}},
                         401);
    if (r.header("Content-Type").value_or("").rfind("application/json", 0) != 0)
      return st->refuse(400, "ValidationException", "Content-Type must be application/json");
    json::object body;
    try {
      body = r.json().as_object();
    } catch (...) {
      return st->refuse(400, "ValidationException", "The request body is not JSON");
    }
    std::string marketplace = field(body, "marketplace");
    if (r.header("x-marketplace").value_or("") != marketplace || marketplace.empty())
      return st->refuse(400, "ValidationException", "x-marketplace must name the marketplace");
    if (field(body, "itemIdType") != "ASIN")
      return st->refuse(400, "ValidationException", "itemIdType must be ASIN");
    auto *ids = body.if_contains("itemIds");
    if (!ids || !ids->is_array() || ids->as_array().empty() || ids->as_array().size() > 10)
      return st->refuse(400, "ValidationException", "itemIds must list 1 to 10 ASINs");
    static const std::set<std::string> kResources = {"itemInfo.title", "itemInfo.features",
                                                     "offersV2.listings.price"};
    if (auto *res = body.if_contains("resources"); res && res->is_array()) {
      for (const auto &x : res->as_array())
        if (!x.is_string() || !kResources.count(std::string(x.as_string())))
          return st->refuse(400, "ValidationException", "unknown resource");
    } else {
      return st->refuse(400, "ValidationException", "resources must be an array");
    }
    std::string tag = field(body, "partnerTag");
    if (!st->partner_tags.count(tag))
      return Reply::json(
          json::object{
              {"type", "ValidationException"},
              {"message", "The partnerTag '" + tag + "' is invalid for marketplace " + marketplace},
              {"reason", "InvalidPartnerTag"}},
          400);
    if (st->not_eligible)
      return Reply::json(
          json::object{{"type", "AccessDeniedException"},
                       {"message", "The Associate does not have access to the Creators API"},
                       {"reason", "AssociateNotEligible"}},
          403);
    if (st->throttle > 0) {
      --st->throttle;
      return Reply::json(json::object{{"type", "ThrottleException"},
                                      {"message", "Rate exceeded"},
                                      {"retryAfterSeconds", st->retry_after}},
                         429);
    }
    json::array items, errors;
    for (const auto &id : ids->as_array()) {
      std::string asin = id.is_string() ? std::string(id.as_string()) : std::string();
      auto it = st->items.find(asin);
      if (it == st->items.end()) {
        errors.push_back(json::object{
            {"type", "ItemNotAccessible"},
            {"message", "The ItemId " + asin + " is not accessible through the Creators API."}});
        continue;
      }
      const Item &item = it->second;
      json::array features;
      for (const auto &f : item.features) features.emplace_back(f);
      json::object info{{"title", json::object{{"displayValue", item.title}}},
                        {"features", json::object{{"displayValues", std::move(features)}}}};
      json::object entry{{"asin", item.asin},
                         {"detailPageURL", "https://" + marketplace + "/dp/" + item.asin +
                                               "?tag=" + tag + "&linkCode=ogi"},
                         {"itemInfo", std::move(info)}};
      if (!item.display_amount.empty())
        entry["offersV2"] = json::object{
            {"listings",
             json::array{json::object{
                 {"price", json::object{{"money", json::object{{"amount", item.amount},
                                                               {"currency", item.currency},
                                                               {"displayAmount",
                                                                item.display_amount}}}}}}}}};
      items.push_back(std::move(entry));
    }
    json::object answer;
    if (!items.empty()) answer["itemsResult"] = json::object{{"items", std::move(items)}};
    if (!errors.empty()) answer["errors"] = std::move(errors);
    return Reply::json(answer);
  });

  server_.route("GET", "/dp/*", [st](const ReceivedRequest &r) {
    std::lock_guard lock(st->mutex);
    ++st->page_fetches;
    std::string asin = r.path.substr(4);
    // Amazon shows bots a robot check: no browser User-Agent or no Accept-Language.
    std::string ua = r.header("User-Agent").value_or("");
    bool browser = ua.rfind("Mozilla/5.0", 0) == 0 && r.header("Accept-Language").has_value() &&
                   r.header("Accept").value_or("").find("text/html") != std::string::npos;
    if (!browser || st->captcha) {
      if (!browser) st->refusals.push_back("page: not a browser request (" + ua + ")");
      return Reply::text(captcha_page(), browser ? 200 : 503, "text/html; charset=utf-8");
    }
    auto it = st->pages.find(asin);
    if (it == st->pages.end())
      return Reply::text(
          "<html><head><title>Page Not Found</title></head><body>Sorry! We "
          "couldn't find that page.</body></html>",
          404, "text/html; charset=utf-8");
    return Reply::text(it->second, 200, "text/html; charset=utf-8");
  });

  server_.route("GET", "/s/*", [st](const ReceivedRequest &r) {
    std::lock_guard lock(st->mutex);
    auto it = st->short_links.find(r.path.substr(3));
    if (it == st->short_links.end()) return Reply::text("not found", 404);
    return Reply::text("", 301).with_header("Location", it->second);
  });
}

json::object FakeAmazon::plugin_config() const {
  const std::string base = base_url();
  return {{"page_base", base},
          {"creators_api_base", base},
          {"token_url_v3", base + "/auth/o2/token"},
          {"token_url_v2", base + "/oauth2/token"},
          {"max_throttle_wait_secs", 10}};
}

FakeAmazon::~FakeAmazon() = default;

void FakeAmazon::add_credentials(const std::string &id, const std::string &secret,
                                 const std::string &version) {
  std::lock_guard lock(state_->mutex);
  state_->credentials[id] = {secret, version};
}
void FakeAmazon::add_item(Item item) {
  std::lock_guard lock(state_->mutex);
  std::string asin = item.asin;
  state_->items[asin] = std::move(item);
}
void FakeAmazon::add_partner_tag(const std::string &tag) {
  std::lock_guard lock(state_->mutex);
  state_->partner_tags.insert(tag);
}
void FakeAmazon::expire_tokens() {
  std::lock_guard lock(state_->mutex);
  for (auto &[t, v] : state_->tokens) state_->expired.insert(t);
}
void FakeAmazon::associate_not_eligible(bool on) {
  std::lock_guard lock(state_->mutex);
  state_->not_eligible = on;
}
void FakeAmazon::throttle_next(int count, int retry_after_seconds) {
  std::lock_guard lock(state_->mutex);
  state_->throttle = count;
  state_->retry_after = retry_after_seconds;
}
void FakeAmazon::add_page(const std::string &asin, std::string html) {
  std::lock_guard lock(state_->mutex);
  state_->pages[asin] = std::move(html);
}
void FakeAmazon::captcha_always(bool on) {
  std::lock_guard lock(state_->mutex);
  state_->captcha = on;
}
void FakeAmazon::add_short_link(const std::string &code, const std::string &location) {
  std::lock_guard lock(state_->mutex);
  state_->short_links[code] = location;
}
int FakeAmazon::tokens_issued() const {
  std::lock_guard lock(state_->mutex);
  return state_->issued;
}
int FakeAmazon::get_items_calls() const {
  std::lock_guard lock(state_->mutex);
  return state_->get_items;
}
size_t FakeAmazon::requests_received() const {
  return server_.request_count();
}
int FakeAmazon::page_fetches() const {
  std::lock_guard lock(state_->mutex);
  return state_->page_fetches;
}
std::vector<std::string> FakeAmazon::refusals() const {
  std::lock_guard lock(state_->mutex);
  return state_->refusals;
}

}  // namespace automuse::testing
