// plugins/twitter/oauth1.hpp — OAuth 1.0a request signing (HMAC-SHA1) for X's user context:
// RFC 3986 percent-encoding, the signature base string, and the Authorization header.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twitter {

struct OAuth1Credentials {
  std::string consumer_key;
  std::string consumer_secret;
  std::string token;
  std::string token_secret;
};

using Params = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding: unreserved A-Za-z0-9-._~ stay, everything else %XX (upper case).
std::string percent_encode(std::string_view s);

// The URL as signed: lower-case scheme and host, default port dropped, no query or fragment.
std::string base_url(std::string_view url);

// The query parameters of `url` (decoded), which are signed with the others.
Params query_params(std::string_view url);

// METHOD&enc(base_url)&enc(sorted encoded params). `params` are decoded name/value pairs:
// the oauth_* ones, the query's and a form body's (a JSON body is not signed).
std::string signature_base(std::string_view method, std::string_view url, const Params &params);

// Standard base64 (with padding) of `bytes`.
std::string base64(std::string_view bytes);

// base64(HMAC-SHA1(enc(consumer_secret)&enc(token_secret), base)).
std::string hmac_sha1_signature(std::string_view base, std::string_view consumer_secret,
                                std::string_view token_secret);

// The full `Authorization: OAuth ...` value for a request. `extra_params` are the signed
// non-oauth parameters (form body); query parameters are taken from `url`.
std::string authorization_header(std::string_view method, std::string_view url,
                                 const OAuth1Credentials &credentials, std::string_view nonce,
                                 std::string_view timestamp, const Params &extra_params = {});

// A fresh random nonce (32 alphanumerics from OpenSSL's RAND_bytes).
std::string make_nonce();

}  // namespace twitter
