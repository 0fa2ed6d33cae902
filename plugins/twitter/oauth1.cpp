// plugins/twitter/oauth1.cpp — OAuth 1.0a signing with OpenSSL's HMAC-SHA1; percent-encoding
// and decoding with Boost.URL.
#include "oauth1.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/grammar/hexdig_chars.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <stdexcept>

namespace twitter {
namespace {

// Decodes %XX and '+' (as in application/x-www-form-urlencoded query strings) with Boost.URL.
// A '%' that does not start an escape is kept as it is rather than failing the request: it is
// escaped as %25 first, so it decodes to itself.
std::string percent_decode(std::string_view s) {
  namespace urls = boost::urls;
  urls::encoding_opts form;
  form.space_as_plus = true;
  if (auto pct = urls::make_pct_string_view(s)) return pct->decode(form);
  std::string escaped;
  escaped.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    const bool escape = i + 2 < s.size() && urls::grammar::hexdig_chars(s[i + 1]) &&
                        urls::grammar::hexdig_chars(s[i + 2]);
    if (s[i] == '%' && !escape)
      escaped += "%25";
    else
      escaped += s[i];
  }
  return urls::make_pct_string_view(escaped)->decode(form);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string percent_encode(std::string_view s) {
  // Upper-case hex and a space as %20 (not '+') are Boost.URL's defaults.
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

std::string base_url(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) throw std::invalid_argument("not an absolute URL");
  std::string scheme = lower(url.substr(0, scheme_end));
  auto rest = url.substr(scheme_end + 3);
  auto path_at = rest.find_first_of("/?#");
  std::string authority = lower(rest.substr(0, path_at));
  std::string path = "/";
  if (path_at != std::string_view::npos && rest[path_at] == '/') {
    auto path_end = rest.find_first_of("?#", path_at);
    path = std::string(rest.substr(path_at, path_end - path_at));
  }
  if ((scheme == "http" && authority.ends_with(":80")) ||
      (scheme == "https" && authority.ends_with(":443")))
    authority.erase(authority.rfind(':'));
  return scheme + "://" + authority + path;
}

Params query_params(std::string_view url) {
  Params out;
  auto q = url.find('?');
  if (q == std::string_view::npos) return out;
  auto query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      out.emplace_back(percent_decode(pair.substr(0, eq)),
                       eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string signature_base(std::string_view method, std::string_view url, const Params &params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto &[k, v] : params) encoded.emplace_back(percent_encode(k), percent_encode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string joined;
  for (const auto &[k, v] : encoded) {
    if (!joined.empty()) joined += '&';
    joined += k + "=" + v;
  }
  std::string m(method);
  for (char &c : m)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return m + "&" + percent_encode(base_url(url)) + "&" + percent_encode(joined);
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                          reinterpret_cast<const unsigned char *>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string hmac_sha1_signature(std::string_view base, std::string_view consumer_secret,
                                std::string_view token_secret) {
  const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char *>(base.data()), base.size(), mac, &mac_len))
    throw std::runtime_error("HMAC-SHA1 failed");
  return base64(std::string_view(reinterpret_cast<const char *>(mac), mac_len));
}

std::string authorization_header(std::string_view method, std::string_view url,
                                 const OAuth1Credentials &c, std::string_view nonce,
                                 std::string_view timestamp, const Params &extra_params) {
  Params oauth = {{"oauth_consumer_key", c.consumer_key},
                  {"oauth_nonce", std::string(nonce)},
                  {"oauth_signature_method", "HMAC-SHA1"},
                  {"oauth_timestamp", std::string(timestamp)},
                  {"oauth_token", c.token},
                  {"oauth_version", "1.0"}};
  Params all = oauth;
  for (auto &p : query_params(url)) all.push_back(p);
  for (auto &p : extra_params) all.push_back(p);
  oauth.emplace_back("oauth_signature", hmac_sha1_signature(signature_base(method, url, all),
                                                            c.consumer_secret, c.token_secret));
  std::sort(oauth.begin(), oauth.end());
  std::string header = "OAuth ";
  for (size_t i = 0; i < oauth.size(); ++i) {
    if (i) header += ", ";
    header += percent_encode(oauth[i].first) + "=\"" + percent_encode(oauth[i].second) + "\"";
  }
  return header;
}

std::string make_nonce() {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for nonce");
  std::string out;
  for (unsigned char b : bytes) out += kAlphabet[b % 62];
  return out;
}

}  // namespace twitter
