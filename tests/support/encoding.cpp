// tests/support/encoding.cpp — base64 through OpenSSL, percent-encoding through Boost.URL.
#include "support/encoding.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/url/encode.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace automuse::testing {

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string base64url(std::string_view bytes) {
  std::string s = base64(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  std::replace(s.begin(), s.end(), '+', '-');
  std::replace(s.begin(), s.end(), '/', '_');
  return s;
}

std::optional<std::string> unbase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t padding = 0;  // EVP_DecodeBlock counts '=' as zero bytes
  for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && padding < 2; --i) ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string percent_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  auto encoded = boost::urls::make_pct_string_view(text);
  if (!encoded) return std::string(text);
  boost::urls::encoding_opts options;
  options.space_as_plus = plus_is_space;
  return encoded->decode(options);
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  auto query = boost::urls::parse_query(body);
  if (!query) return out;
  boost::urls::encoding_opts plus_is_space;
  plus_is_space.space_as_plus = true;
  for (auto param : *query)
    out.emplace_back(param.key.decode(plus_is_space),
                     param.has_value ? param.value.decode(plus_is_space) : std::string());
  return out;
}

}  // namespace automuse::testing
