// tests/twitter/oauth1_test.cpp — OAuth 1.0a signing against the test vector in
// docs/protocols/x-api.md (OAuth 1.0a), plus percent-encoding, query decoding and base URL rules.
#include "oauth1.hpp"

#include <gtest/gtest.h>

using namespace twitter;

namespace {

const OAuth1Credentials kVector{"xvz1evFS4wEEPTGEFPHBog",
                                "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                                "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"};
const char kNonce[] = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
const char kTimestamp[] = "1318622958";
const char kUrl[] = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true";

TEST(OAuth1, TestVectorSignature) {
  Params params = {{"oauth_consumer_key", kVector.consumer_key},
                   {"oauth_nonce", kNonce},
                   {"oauth_signature_method", "HMAC-SHA1"},
                   {"oauth_timestamp", kTimestamp},
                   {"oauth_token", kVector.token},
                   {"oauth_version", "1.0"},
                   {"include_entities", "true"},
                   {"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}};
  const std::string base = signature_base("post", kUrl, params);
  EXPECT_EQ(base.rfind("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&"
                       "include_entities%3Dtrue%26oauth_consumer_key%3D",
                       0),
            0u)
      << base;
  EXPECT_NE(base.find("status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%"
                      "2520OAuth%2520request%2521"),
            std::string::npos);
  EXPECT_EQ(hmac_sha1_signature(base, kVector.consumer_secret, kVector.token_secret),
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
}

TEST(OAuth1, AuthorizationHeaderCarriesTheVectorSignature) {
  const std::string header =
      authorization_header("POST", kUrl, kVector, kNonce, kTimestamp,
                           {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}});
  EXPECT_EQ(header,
            "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
            "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
            "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", "
            "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
            "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
            "oauth_version=\"1.0\"");
}

TEST(OAuth1, ChangingAnythingChangesTheSignature) {
  const std::string a = authorization_header("POST", kUrl, kVector, kNonce, kTimestamp);
  EXPECT_NE(a, authorization_header("POST", kUrl, kVector, kNonce, "1318622959"));
  EXPECT_NE(a, authorization_header("GET", kUrl, kVector, kNonce, kTimestamp));
  OAuth1Credentials other = kVector;
  other.token_secret += "x";
  EXPECT_NE(a, authorization_header("POST", kUrl, other, kNonce, kTimestamp));
}

TEST(OAuth1, PercentEncoding) {
  EXPECT_EQ(percent_encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
  EXPECT_EQ(percent_encode("An encoded string!"), "An%20encoded%20string%21");
  EXPECT_EQ(percent_encode("Dogs, Cats & Mice"), "Dogs%2C%20Cats%20%26%20Mice");
  EXPECT_EQ(percent_encode("-._~AZaz09"), "-._~AZaz09");
  EXPECT_EQ(percent_encode("☃"), "%E2%98%83");
  // Every byte outside the unreserved set, with upper-case hex; a space is %20, never '+'.
  EXPECT_EQ(percent_encode("a b+c/d~e*f€%"), "a%20b%2Bc%2Fd~e%2Af%E2%82%AC%25");
  EXPECT_EQ(percent_encode(std::string_view("\0\x7f\xff", 3)), "%00%7F%FF");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(OAuth1, QueryParamsAreFormDecoded) {
  // '+' is a space, %2B a plus, hex in either case; a pair without '=' has an empty value and
  // empty pairs are skipped.
  auto q = query_params("https://api.x.com/a?q=a+b%2Bc%2fd&e=%e2%82%AC&flag&&x=1#frag");
  Params want = {{"q", "a b+c/d"}, {"e", "€"}, {"flag", ""}, {"x", "1"}};
  EXPECT_EQ(q, want);
}

TEST(OAuth1, QueryParamsKeepAStrayPercent) {
  // A '%' that does not start an escape is kept as it is (the other escapes are decoded).
  auto q = query_params("https://api.x.com/a?p=100%&q=%zz%41&r=%4&s=%%41+");
  Params want = {{"p", "100%"}, {"q", "%zzA"}, {"r", "%4"}, {"s", "%A "}};
  EXPECT_EQ(q, want);
}

TEST(OAuth1, BaseUrl) {
  EXPECT_EQ(base_url("HTTPS://API.X.com:443/2/tweets?x=1#f"), "https://api.x.com/2/tweets");
  EXPECT_EQ(base_url("http://127.0.0.1:8080/2/media/upload"),
            "http://127.0.0.1:8080/2/media/upload");
  EXPECT_EQ(base_url("http://example.com:80"), "http://example.com/");
}

TEST(OAuth1, QueryParamsAreSigned) {
  auto q = query_params("https://api.x.com/2/media/upload?command=STATUS&media_id=12%2034");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"media_id", "12 34"}));
}

TEST(OAuth1, NoncesDiffer) {
  auto a = make_nonce(), b = make_nonce();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

}  // namespace
