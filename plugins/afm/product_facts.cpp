// plugins/afm/product_facts.cpp — facts through the cache, Creators API or product page.
#include "product_facts.hpp"

#include <automuse/cache.h>
#include <automuse/store.h>

#include <algorithm>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/http.hpp>
#include <automuse/cpp/str.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "creators_api.hpp"
#include "product_page.hpp"

namespace afm {
namespace json = boost::json;

namespace {

constexpr const char *kTokenProvider = "amazon-creators";

// Request headers of a current desktop browser: Amazon serves bots a robot check.
const am::http_headers kBrowserHeaders = {
    {"User-Agent",
     "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36"},
    {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    {"Accept-Language", "en-US,en;q=0.9"},
};

std::string cache_key(const FactsQuery &q) {
  return "facts:" + q.marketplace + ":" + q.asin;
}

std::optional<Facts> cached_facts(const am::host &host, const FactsQuery &q) {
  const auto *cache = host.find<am_cache>(AM_CACHE_SERVICE_ID);
  if (!cache || q.no_cache) return std::nullopt;
  am::buffer value;
  const std::string key = cache_key(q);
  if (cache->get(host.get(), am::to_am_str(key), value.out()) != AM_OK) return std::nullopt;
  try {
    return facts_from_json(value.str());
  } catch (const std::exception &) {
    return std::nullopt;  // an unreadable entry is a miss
  }
}

void remember(const am::host &host, const FactsQuery &q, const Facts &f, int64_t ttl_secs) {
  const auto *cache = host.find<am_cache>(AM_CACHE_SERVICE_ID);
  if (!cache || ttl_secs <= 0) return;
  const std::string key = cache_key(q), value = to_json(f);
  cache->put(host.get(), am::to_am_str(key), am::to_am_str(value), ttl_secs * 1000);
}

int64_t now_secs() {
  return static_cast<int64_t>(std::time(nullptr));
}

// The stored token when it has a minute left, else a new one from the token endpoint,
// stored before use.
am::task<std::string> access_token(am::job job, PluginSettings settings, Account account,
                                   Credentials creds, bool force_new) {
  const am::host &host = job.host_ref();
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  if (!force_new) {
    am::buffer out;
    if (store.get_oauth_token(host.get(), am::to_am_str(account.id), out.out(), nullptr) == AM_OK) {
      json::value v = json::parse(out.view());
      const auto &o = v.as_object();
      auto *provider = o.if_contains("provider");
      auto *token = o.if_contains("access_token");
      auto *expires = o.if_contains("expires_at");
      if (provider && provider->is_string() && provider->as_string() == kTokenProvider && token &&
          token->is_string() && expires && expires->is_number() &&
          expires->to_number<double>() > static_cast<double>(now_secs() + 60))
        co_return std::string(token->as_string());
    }
  }
  TokenRequest tr = token_request(creds);
  const std::string url = creds.version == "2.x" ? settings.token_url_v2 : settings.token_url_v3;
  am::http_request req("POST", url, tr.body);
  req.headers = {{"Content-Type", tr.content_type}, {"Accept", "application/json"}};
  req.safe_to_resend_body = true;
  am::http http(job);
  am::http_response resp = co_await http.send(std::move(req));
  if (resp.status != AM_OK)
    throw am::error(resp.status, "Creators API token endpoint " + url + ": " + resp.error);
  Token token = parse_token(resp.http_status, resp.body);
  json::object stored{{"provider", kTokenProvider},
                      {"access_token", token.access_token},
                      {"token_type", "bearer"},
                      {"expires_at", now_secs() + token.expires_in}};
  const std::string text = json::serialize(stored);
  am::buffer error;
  am_status s = store.set_oauth_token(host.get(), am::to_am_str(account.id), am::to_am_str(text),
                                      error.out());
  if (s != AM_OK) throw am::error(s, "storing the Creators API token: " + error.str());
  co_return token.access_token;
}

am::task<Facts> from_creators_api(am::job job, PluginSettings settings, Account account,
                                  FactsQuery q) {
  const am::host &host = job.host_ref();
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  Credentials creds;
  creds.client_id = account.creators_credential_id;
  creds.version = account.creators_version;
  am::buffer secret, error;
  if (store.get_secret(host.get(), am::to_am_str(account.id),
                       am::to_am_str(std::string_view("creators_credential_secret")), secret.out(),
                       error.out()) != AM_OK)
    throw am::error(AM_UNAUTHENTICATED, "afm account '" + account.nickname +
                                            "' has creators_credential_id but no "
                                            "creators_credential_secret");
  creds.client_secret = secret.str();

  bool refreshed = false;
  int waited_secs = 0;
  std::string token;
  {
    auto first = access_token(job, settings, account, creds, false);
    token = co_await std::move(first);
  }
  am::http http(job);
  for (;;) {
    am::http_request req("POST", settings.creators_api_base + "/catalog/v1/getItems",
                         get_items_body(q.asin, q.marketplace, q.partner_tag));
    req.headers = {{"Authorization", authorization(token, creds.version)},
                   {"x-marketplace", q.marketplace},
                   {"Content-Type", "application/json"},
                   {"Accept", "application/json"}};
    req.max_attempts = 1;  // throttling is answered in the body: handled below
    am::http_response resp = co_await http.send(std::move(req));
    if (resp.status != AM_OK)
      throw am::error(resp.status, "Creators API getItems for " + q.asin + ": " + resp.error);
    ItemsOutcome o =
        interpret_get_items(resp.http_status, resp.body, q.asin, q.partner_tag, q.marketplace);
    switch (o.kind) {
      case ItemsOutcome::Kind::facts:
        if (!o.partial_error.empty())
          job.log().warn("Creators API reported errors beside " + q.asin + ": " + o.partial_error);
        co_return o.facts;
      case ItemsOutcome::Kind::token_expired: {
        if (refreshed)
          throw am::error(AM_UNAUTHENTICATED,
                          "Creators API rejected a freshly issued token for " + q.asin +
                              ": check the account's creators_version (" + creds.version + ")");
        refreshed = true;
        job.log().info("Creators API token expired; getting a new one");
        auto renew = access_token(job, settings, account, creds, true);
        token = co_await std::move(renew);
        break;
      }
      case ItemsOutcome::Kind::throttled: {
        int wait = o.retry_after_secs > 0 ? o.retry_after_secs : 1 << std::min(waited_secs, 5);
        if (auto h = resp.header("Retry-After"); h && o.retry_after_secs <= 0)
          wait = std::max(1, std::atoi(h->c_str()));
        if (waited_secs + wait > settings.max_throttle_wait_secs)
          throw am::error(AM_RATE_LIMITED, "Creators API is throttling getItems for " + q.asin +
                                               " (asked to wait " + std::to_string(wait) +
                                               " s more after " + std::to_string(waited_secs) +
                                               " s; plugins.afm.max_throttle_wait_secs is " +
                                               std::to_string(settings.max_throttle_wait_secs) +
                                               ")");
        job.log().info("Creators API throttled getItems; waiting " + std::to_string(wait) + " s");
        waited_secs += wait;
        auto pause = job.sleep(std::chrono::seconds(wait));
        co_await std::move(pause);
        break;
      }
      case ItemsOutcome::Kind::failed:
        throw am::error(static_cast<am_status>(o.status), o.message);
    }
  }
}

am::task<Facts> from_product_page(am::job job, PluginSettings settings, FactsQuery q) {
  const std::string base =
      settings.page_base.empty() ? "https://" + q.marketplace : settings.page_base;
  const std::string url = base + "/dp/" + q.asin;
  am::http_request req("GET", url);
  req.headers = kBrowserHeaders;
  req.max_attempts = 2;
  am::http http(job);
  am::http_response resp = co_await http.send(std::move(req));
  if (resp.status != AM_OK) throw am::error(resp.status, "product page " + url + ": " + resp.error);
  if (resp.http_status == 404)
    throw am::error(AM_NOT_FOUND, "Amazon has no product page for " + q.asin + " in " +
                                      q.marketplace + " (" + url + ")");
  PageResult page = parse_product_page(resp.body, q.asin);
  if (page.kind == PageResult::Kind::captcha)
    throw am::error(AM_UNAVAILABLE,
                    "Amazon asked for a captcha; configure Creators API credentials (the afm "
                    "account's creators_credential_id and creators_credential_secret) to "
                    "read " +
                        q.asin + " without the product page");
  if (resp.http_status < 200 || resp.http_status >= 300)
    throw am::error(AM_UNAVAILABLE,
                    "product page " + url + " answered HTTP " + std::to_string(resp.http_status));
  if (page.kind != PageResult::Kind::product)
    throw am::error(AM_ERROR, "product page " + url + " is not a product page as afm knows it (" +
                                  page.reason + ")");
  co_return page.facts;
}

}  // namespace

am::task<Facts> product_facts(am::job job, PluginSettings settings, Account account,
                              FactsQuery query) {
  if (auto cached = cached_facts(job.host_ref(), query)) co_return *cached;
  Facts facts;
  if (!account.creators_credential_id.empty()) {
    auto api = from_creators_api(job, settings, account, query);
    facts = co_await std::move(api);
  } else {
    auto page = from_product_page(job, settings, query);
    facts = co_await std::move(page);
  }
  remember(job.host_ref(), query, facts, settings.facts_ttl_secs);
  co_return facts;
}

am::task<LinkInfo> resolve_link(am::job job, PluginSettings settings, std::string link) {
  LinkInfo info;
  try {
    info = read_link(link, settings.page_base);
  } catch (const std::invalid_argument &e) {
    throw am::error(AM_INVALID_ARGUMENT, std::string("--link: ") + e.what());
  }
  const std::string original_tag = info.partner_tag;
  std::string at = link;
  am::http http(job);
  for (int hop = 0; info.asin.empty() && hop < 5; ++hop) {
    am::http_request req("GET", at);
    req.headers = kBrowserHeaders;
    req.no_redirects = true;
    req.max_attempts = 2;
    req.flags |= AM_HTTP_USER_URL;  // typed by the user: never towards the LAN
    am::http_response resp = co_await http.send(std::move(req));
    if (resp.status != AM_OK) throw am::error(resp.status, "following " + at + ": " + resp.error);
    auto location = resp.header("Location");
    if (resp.http_status < 300 || resp.http_status >= 400 || !location) break;
    try {
      at = resolve_location(at, *location);
      info = read_link(at, settings.page_base);
    } catch (const std::invalid_argument &e) {
      throw am::error(AM_ERROR, "following " + link + ": " + e.what());
    }
  }
  if (info.asin.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "the link " + link + " leads to no Amazon product (no ASIN in " + at + ")");
  if (!original_tag.empty()) info.partner_tag = original_tag;
  co_return info;
}

}  // namespace afm
