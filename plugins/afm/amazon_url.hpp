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

// True for a well-formed ASIN (10 upper-case letters or digits; ISBN-10s are ASINs too).
bool is_asin(std::string_view s);

// Reads a link: /dp/ASIN, /SLUG/dp/ASIN, /gp/product/ASIN, /gp/aw/d/ASIN,
// /exec/obidos/ASIN/ASIN, /exec/obidos/tg/detail/-/ASIN, /o/ASIN, ?asin=, with any query
// string and slug. Throws std::invalid_argument when `link` is not an http(s) URL. A link
// without an ASIN (a short link such as amzn.to/xyz) gives an empty asin: follow its
// redirects and read the target.
LinkInfo read_link(std::string_view link);

// The link that is shared: https://MARKETPLACE/dp/ASIN?tag=TAG. Throws std::invalid_argument
// when the ASIN or the tag is missing or malformed.
std::string tagged_link(const std::string &marketplace, const std::string &asin,
                        const std::string &partner_tag);

// The absolute target of a redirect's Location header, resolved against the request's URL.
std::string resolve_location(std::string_view base, std::string_view location);

}  // namespace afm
