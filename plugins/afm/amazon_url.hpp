// plugins/afm/amazon_url.hpp — Amazon product links: the ASIN in any common URL form, the
// marketplace and partner tag a link carries, and the link that is shared (always tagged).
// Parsed and built with Boost.URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace afm {

// What a product link says. Every member is empty when the link does not carry it.
struct LinkInfo {
  std::string asin;         // upper case, 10 characters
  std::string marketplace;  // "www.amazon.de" for any host under amazon.de
  std::string partner_tag;  // the `tag` query parameter
};

// True for the host of an Amazon marketplace: amazon.com, amazon.co.uk, amazon.de, … (the
// explicit list in amazon_url.cpp), bare or with "www." (and the retired smile.amazon.com,
// .co.uk and .de, whose links still circulate). Exact, case-insensitive match.
bool is_marketplace_host(std::string_view host);

// True for Amazon's short-link hosts: amzn.to, amzn.eu, amzn.asia, a.co, …
bool is_short_link_host(std::string_view host);

// True for a well-formed ASIN (10 upper-case letters or digits; ISBN-10s are ASINs too).
bool is_asin(std::string_view s);

// Reads a link: /dp/ASIN, /SLUG/dp/ASIN, /gp/product/ASIN, /gp/aw/d/ASIN,
// /exec/obidos/ASIN/ASIN, /exec/obidos/tg/detail/-/ASIN, /o/ASIN, ?asin=, with any query
// string and slug. Throws std::invalid_argument naming the link when it is not an http(s) URL
// or its host is neither a marketplace nor a short-link host, nor on the origin of
// `page_base` (plugins.afm.page_base, a configured stand-in for Amazon's pages). A link
// without an ASIN (a short link such as amzn.to/xyz) gives an empty asin: follow its
// redirects and read the target.
LinkInfo read_link(std::string_view link, std::string_view page_base = {});

// The marketplace host a user named (--marketplace, an account's marketplace): lower case,
// "www." added to a bare domain. Throws std::invalid_argument when it is no marketplace.
std::string marketplace_host(std::string_view name);

// The link that is shared: https://MARKETPLACE/dp/ASIN?tag=TAG. Throws std::invalid_argument
// when the ASIN or the tag is missing or malformed.
std::string tagged_link(const std::string &marketplace, const std::string &asin,
                        const std::string &partner_tag);

// The absolute target of a redirect's Location header, resolved against the request's URL.
std::string resolve_location(std::string_view base, std::string_view location);

}  // namespace afm
