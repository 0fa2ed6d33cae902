// plugins/afm/amazon_url.cpp — ASIN, marketplace and tag from Amazon links (Boost.URL).
#include "amazon_url.hpp"

#include <boost/url.hpp>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace afm {
namespace urls = boost::urls;

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

urls::url_view parse_http(std::string_view link) {
  auto parsed = urls::parse_uri(link);
  if (!parsed) throw std::invalid_argument("not a URL: " + std::string(link));
  std::string scheme = lower(parsed->scheme());
  if (scheme != "http" && scheme != "https")
    throw std::invalid_argument("not an http(s) link: " + std::string(link));
  return *parsed;
}

// The segment after a marker that introduces an ASIN, or "".
std::string asin_in_path(const std::vector<std::string> &seg) {
  for (size_t i = 0; i < seg.size(); ++i) {
    const std::string s = lower(seg[i]);
    auto next = [&](size_t k) { return i + k < seg.size() ? upper(seg[i + k]) : std::string(); };
    std::string candidate;
    if (s == "dp" || s == "o")
      candidate = next(1);  // /dp/ASIN, /SLUG/dp/ASIN, /o/ASIN
    else if (s == "product" && i > 0 && lower(seg[i - 1]) == "gp")
      candidate = next(1);  // /gp/product/ASIN
    else if (s == "d" && i > 0 && lower(seg[i - 1]) == "aw")
      candidate = next(1);  // /gp/aw/d/ASIN (mobile)
    else if (s == "asin" && i > 0 && lower(seg[i - 1]) == "obidos")
      candidate = next(1);  // /exec/obidos/ASIN/ASIN
    else if (s == "-" && i > 0 && lower(seg[i - 1]) == "detail")
      candidate = next(1);  // /exec/obidos/tg/detail/-/ASIN
    if (is_asin(candidate)) return candidate;
  }
  return {};
}

// Amazon's retail marketplaces, by domain (each also as www.DOMAIN).
constexpr std::string_view kMarketplaces[] = {
    "amazon.com",    "amazon.co.uk",  "amazon.de",     "amazon.fr",     "amazon.it",
    "amazon.es",     "amazon.ca",     "amazon.com.au", "amazon.co.jp",  "amazon.in",
    "amazon.com.mx", "amazon.com.br", "amazon.nl",     "amazon.se",     "amazon.pl",
    "amazon.sg",     "amazon.ae",     "amazon.sa",     "amazon.com.tr", "amazon.eg",
    "amazon.com.be", "amazon.cn",     "amazon.ie",     "amazon.co.za"};

// AmazonSmile (retired in 2023) existed on these; its links still circulate.
constexpr std::string_view kSmile[] = {"smile.amazon.com", "smile.amazon.co.uk", "smile.amazon.de"};

// Amazon's link shorteners.
constexpr std::string_view kShortLinkHosts[] = {"amzn.to",      "amzn.eu", "amzn.asia", "amzn.com",
                                                "www.amzn.com", "a.co",    "amzlink.to"};

template <size_t N>
bool listed(const std::string_view (&list)[N], std::string_view host) {
  for (std::string_view h : list)
    if (h == host) return true;
  return false;
}

// The marketplace domain a host belongs to ("amazon.de" for www.amazon.de), or "".
std::string marketplace_domain(std::string host) {
  host = lower(host);
  if (listed(kSmile, host)) return host.substr(6);
  if (host.starts_with("www.")) host = host.substr(4);
  return listed(kMarketplaces, host) ? host : std::string();
}

// host[:port] of an http(s) URL, lower case ("" when it is not one).
std::string authority_of(std::string_view url) {
  auto parsed = urls::parse_uri(url);
  if (!parsed) return {};
  return lower(parsed->encoded_host()) +
         (parsed->has_port() ? ":" + std::string(parsed->port()) : "");
}

}  // namespace

bool is_marketplace_host(std::string_view host) {
  return !marketplace_domain(std::string(host)).empty();
}

bool is_short_link_host(std::string_view host) {
  return listed(kShortLinkHosts, lower(host));
}

std::string marketplace_host(std::string_view name) {
  std::string domain = marketplace_domain(std::string(name));
  if (domain.empty())
    throw std::invalid_argument("'" + std::string(name) +
                                "' is not an Amazon marketplace (amazon.com, amazon.co.uk, "
                                "amazon.de, … or their www. forms)");
  return "www." + domain;
}

bool is_asin(std::string_view s) {
  if (s.size() != 10) return false;
  for (char c : s)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

LinkInfo read_link(std::string_view link, std::string_view page_base) {
  urls::url_view u = parse_http(link);
  std::string host = lower(u.encoded_host());
  const bool on_page_base = !page_base.empty() && authority_of(link) == authority_of(page_base);
  if (!is_marketplace_host(host) && !is_short_link_host(host) && !on_page_base)
    throw std::invalid_argument("the link " + std::string(link) + " is not an Amazon link: '" +
                                host +
                                "' is neither an Amazon marketplace (amazon.com, amazon.de, …) "
                                "nor an Amazon short-link host (amzn.to, a.co, …)");
  LinkInfo info;
  std::vector<std::string> segments;
  for (auto s : u.segments()) segments.emplace_back(s);
  info.asin = asin_in_path(segments);
  for (auto p : u.params()) {
    std::string key = lower(p.key);
    if (info.asin.empty() && key == "asin" && p.has_value && is_asin(upper(p.value)))
      info.asin = upper(p.value);
    if (key == "tag" && p.has_value) info.partner_tag = p.value;
  }
  // smile.amazon.de and amazon.de are both www.amazon.de; a short link is no marketplace.
  if (std::string domain = marketplace_domain(host); !domain.empty())
    info.marketplace = "www." + domain;
  return info;
}

std::string tagged_link(const std::string &marketplace, const std::string &asin,
                        const std::string &partner_tag) {
  if (!is_asin(asin)) throw std::invalid_argument("not an ASIN: '" + asin + "'");
  if (partner_tag.empty())
    throw std::invalid_argument("no partner tag for " + asin +
                                " (set the account's partner_tag, e.g. yourtag-20)");
  for (char c : partner_tag)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      throw std::invalid_argument("partner tag '" + partner_tag +
                                  "' is malformed (letters, digits, - and _ only)");
  urls::url u;
  u.set_scheme("https");
  u.set_host(marketplace.empty() ? std::string("www.amazon.com") : lower(marketplace));
  u.set_path("/dp/" + asin);
  u.params().set("tag", partner_tag);
  return std::string(u.buffer());
}

std::string resolve_location(std::string_view base, std::string_view location) {
  auto ref = urls::parse_uri_reference(location);
  if (!ref) throw std::invalid_argument("bad redirect target: " + std::string(location));
  urls::url_view b = parse_http(base);
  urls::url out;
  auto r = urls::resolve(b, *ref, out);
  if (!r) throw std::invalid_argument("bad redirect target: " + std::string(location));
  return std::string(out.buffer());
}

}  // namespace afm
