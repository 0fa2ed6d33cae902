// plugins/afm/product_facts.hpp — getting a product's facts: from the cache (a day), else
// the Creators API when the account has credentials (token kept in the store, refreshed once
// when it expired, throttling waited out as Amazon says), else the product page fetched like
// a browser and parsed (a captcha is an error, never pitched). And following short links.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

#include "amazon_url.hpp"
#include "facts.hpp"
#include "settings.hpp"

namespace afm {

// Where to get the facts of one product.
struct FactsQuery {
  std::string asin, marketplace, partner_tag;
  bool no_cache = false;
};

am::task<Facts> product_facts(am::job job, PluginSettings settings, Account account,
                              FactsQuery query);

// The link read; a link without an ASIN (amzn.to/…) is followed through its redirects
// (at most 5) until one has. Every hop must be an Amazon host (or on settings.page_base), and
// is fetched as a user-given URL (public addresses only, see AM_HTTP_USER_URL). Throws
// am::error naming the link.
am::task<LinkInfo> resolve_link(am::job job, PluginSettings settings, std::string link);

}  // namespace afm
