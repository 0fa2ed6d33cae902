// tests/oauth/fake_oauth_test.cpp — the shared fake authorization server keeps the protocol
// (RFC 6749, RFC 7636) itself, so that the tests built on it prove something: wrong clients,
// verifiers, reused codes, unknown or revoked refresh tokens and widened scopes are refused
// with the RFC's error answers; the Google and X token shapes differ as the providers do; and
// each fault switch does what it says (5xx and 429 + Retry-After before anything is processed,
// a reply lost after the grant was).
#include "support/oauth/fake_oauth.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "support/oauth/fake_browser.hpp"

namespace automuse::testing {
namespace {

namespace json = boost::json;

// RFC 7636 appendix B.
const char *kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const char *kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const char *kId = "1234-test.apps.googleusercontent.com";
const char *kSecret = "GOCSPX-fake-test";
const char *kRedirect = "http%3A%2F%2F127.0.0.1%3A9";
const char *kScope = "https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fyoutube.upload";

std::string client_form() {
  return std::string("&client_id=") + kId + "&client_secret=" + kSecret;
}

std::string refresh_form(const std::string &refresh_token) {
  return "grant_type=refresh_token&refresh_token=" + refresh_token + client_form();
}

std::string error_of(const BrowserPage &page) {
  return std::string(json::parse(page.body).at("error").as_string());
}

// A code the fake user consented to, for the RFC 7636 challenge.
std::string consent(FakeOAuth &fake) {
  auto page = browser_get(fake.authorize_url() + "?response_type=code&client_id=" + kId +
                          "&redirect_uri=" + kRedirect + "&scope=" + kScope +
                          "&state=s1&code_challenge=" + kChallenge +
                          "&code_challenge_method=S256&access_type=offline");
  EXPECT_EQ(page.status, 302u) << page.body;
  return fake.issued().back().code;
}

BrowserPage exchange(FakeOAuth &fake, const std::string &code, const std::string &verifier) {
  std::string encoded;
  for (char c : code) encoded += c == '/' ? std::string("%2F") : std::string(1, c);
  return http_post_form(fake.token_url(), "grant_type=authorization_code&code=" + encoded +
                                              "&redirect_uri=" + kRedirect +
                                              "&code_verifier=" + verifier + client_form());
}

TEST(FakeOAuth, ExchangesACodeOnceAndRefreshesWithWhatItIssued) {
  FakeOAuth fake(FakeOAuth::google_client(kId, kSecret));
  auto tokens = exchange(fake, consent(fake), kVerifier);
  ASSERT_EQ(tokens.status, 200u) << tokens.body;
  json::object answer = json::parse(tokens.body).as_object();
  const std::string access(answer.at("access_token").as_string());
  const std::string refresh(answer.at("refresh_token").as_string());
  EXPECT_EQ(answer.at("token_type"), "Bearer");
  EXPECT_EQ(answer.at("expires_in"), 3599);
  EXPECT_TRUE(fake.access_token_valid(access));

  auto refreshed = http_post_form(fake.token_url(), refresh_form(refresh));
  ASSERT_EQ(refreshed.status, 200u) << refreshed.body;
  json::object again = json::parse(refreshed.body).as_object();
  EXPECT_FALSE(again.contains("refresh_token")) << "Google keeps the refresh token";
  EXPECT_NE(again.at("access_token").as_string(), access);
  EXPECT_EQ(fake.refreshes(), 1);
  EXPECT_EQ(fake.issued()[0].access_token, again.at("access_token").as_string());
  // The same refresh token still works: Google's do not rotate.
  EXPECT_EQ(http_post_form(fake.token_url(), refresh_form(refresh)).status, 200u);
}

TEST(FakeOAuth, RefusesWhatTheProtocolRefuses) {
  FakeOAuth fake(FakeOAuth::google_client(kId, kSecret));
  const std::string code = consent(fake);
  // Another client secret: invalid_client, and the code is not spent.
  auto wrong_client = http_post_form(
      fake.token_url(),
      "grant_type=authorization_code&code=x&client_id=" + std::string(kId) + "&client_secret=nope");
  EXPECT_EQ(wrong_client.status, 401u);
  EXPECT_EQ(error_of(wrong_client), "invalid_client");
  // A verifier that is not the challenge's.
  auto wrong_verifier =
      exchange(fake, code, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(wrong_verifier.status, 400u);
  EXPECT_EQ(error_of(wrong_verifier), "invalid_grant");
  // The code was used up by that attempt.
  auto reused = exchange(fake, code, kVerifier);
  EXPECT_EQ(error_of(reused), "invalid_grant");
  EXPECT_NE(reused.body.find("already redeemed"), std::string::npos);
  // Missing and unknown parameters.
  auto no_grant = http_post_form(fake.token_url(), client_form().substr(1));
  EXPECT_EQ(error_of(no_grant), "invalid_request");
  auto odd_grant =
      http_post_form(fake.token_url(), "grant_type=password&username=u" + client_form());
  EXPECT_EQ(error_of(odd_grant), "unsupported_grant_type");
  auto unknown = http_post_form(fake.token_url(), refresh_form("1//never-issued"));
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(error_of(unknown), "invalid_grant");
  EXPECT_EQ(fake.failures().size(), 6u);
}

TEST(FakeOAuth, AReusedCodeRevokesTheTokensItGave) {
  FakeOAuth fake(FakeOAuth::google_client(kId, kSecret));
  const std::string code = consent(fake);
  auto first = exchange(fake, code, kVerifier);
  ASSERT_EQ(first.status, 200u) << first.body;
  json::object answer = json::parse(first.body).as_object();
  EXPECT_EQ(error_of(exchange(fake, code, kVerifier)), "invalid_grant");
  EXPECT_FALSE(fake.access_token_valid(std::string(answer.at("access_token").as_string())));
  auto refresh = http_post_form(fake.token_url(),
                                refresh_form(std::string(answer.at("refresh_token").as_string())));
  EXPECT_EQ(error_of(refresh), "invalid_grant");
}

TEST(FakeOAuth, RevokedRefreshTokensAndWidenedScopesAreRefused) {
  FakeOAuth fake(FakeOAuth::google_client(kId, kSecret));
  fake.add_refresh_token("1//added");
  auto wider = http_post_form(fake.token_url(), refresh_form("1//added") + "&scope=openid");
  EXPECT_EQ(error_of(wider), "invalid_scope");
  auto narrow = http_post_form(fake.token_url(), refresh_form("1//added") + "&scope=" + kScope);
  EXPECT_EQ(narrow.status, 200u) << narrow.body;
  fake.revoke_refresh_tokens();
  auto revoked = http_post_form(fake.token_url(), refresh_form("1//added"));
  EXPECT_EQ(error_of(revoked), "invalid_grant");
  EXPECT_NE(revoked.body.find("expired or revoked"), std::string::npos);
}

TEST(FakeOAuth, FaultSwitches) {
  FakeOAuth fake(FakeOAuth::google_client(kId, kSecret));
  fake.add_refresh_token("1//added");
  fake.throttle_token_requests(1, 7);
  fake.fail_token_requests(1, 503);
  auto throttled = http_post_form(fake.token_url(), refresh_form("1//added"));
  EXPECT_EQ(throttled.status, 429u);
  EXPECT_EQ(throttled.retry_after, "7");
  EXPECT_EQ(http_post_form(fake.token_url(), refresh_form("1//added")).status, 503u);
  EXPECT_EQ(fake.refreshes(), 0) << "faults come before anything is processed";

  fake.lose_next_token_reply();
  auto lost = http_post_form(fake.token_url(), refresh_form("1//added"));
  EXPECT_EQ(lost.status, 0u) << "no answer";
  EXPECT_EQ(fake.refreshes(), 1) << "the refresh happened all the same";
  EXPECT_EQ(http_post_form(fake.token_url(), refresh_form("1//added")).status, 200u);

  fake.fail_next_token("invalid_grant", "Bad Request");
  EXPECT_EQ(error_of(http_post_form(fake.token_url(), refresh_form("1//added"))), "invalid_grant");
  EXPECT_EQ(fake.token_requests(), 5u);
}

TEST(FakeOAuth, AccessTokensExpire) {
  FakeOAuth fake(FakeOAuth::google_client(kId, kSecret));
  fake.add_refresh_token("1//added");
  fake.set_expires_in(30);
  auto page = http_post_form(fake.token_url(), refresh_form("1//added"));
  json::object answer = json::parse(page.body).as_object();
  EXPECT_EQ(answer.at("expires_in"), 30);
  const std::string access(answer.at("access_token").as_string());
  EXPECT_TRUE(fake.access_token_valid(access));
  fake.expire_access_tokens();
  EXPECT_FALSE(fake.access_token_valid(access));
  EXPECT_TRUE(fake.issued_access_token(access));
  EXPECT_FALSE(fake.issued_access_token("ya29.never"));
}

TEST(FakeOAuth, XRotatesRefreshTokensOnAMountedEndpoint) {
  FakeServer api;
  FakeOAuth::Client client;
  client.id = "x-public";
  client.auth = FakeOAuth::ClientAuth::none;
  FakeOAuth fake(client, FakeOAuth::x(), api, "/2/oauth2/token");
  EXPECT_EQ(fake.token_url(), api.url("/2/oauth2/token"));
  fake.add_grant({"rt-1", "at-1", "", "1003"});
  EXPECT_EQ(fake.subject_of("at-1"), "1003");
  const std::string form = "grant_type=refresh_token&client_id=x-public&refresh_token=";
  // A public client has no secret to send.
  auto with_basic = http_post_form(fake.token_url(), form + "rt-1",
                                   {{"Authorization", "Basic eC1wdWJsaWM6c2VjcmV0"}});
  EXPECT_EQ(error_of(with_basic), "invalid_client");
  auto page = http_post_form(fake.token_url(), form + "rt-1");
  ASSERT_EQ(page.status, 200u) << page.body;
  json::object answer = json::parse(page.body).as_object();
  EXPECT_EQ(answer.at("token_type"), "bearer");
  EXPECT_EQ(answer.at("expires_in"), 7200);
  EXPECT_NE(answer.at("refresh_token"), "rt-1");
  EXPECT_EQ(fake.subject_of("at-1"), "") << "the replaced access token died";
  EXPECT_EQ(fake.subject_of(std::string(answer.at("access_token").as_string())), "1003");
  EXPECT_EQ(fake.grant_of("1003")->refresh_token, answer.at("refresh_token").as_string());
  auto reused = http_post_form(fake.token_url(), form + "rt-1");
  EXPECT_EQ(reused.status, 400u);
  EXPECT_EQ(error_of(reused), "invalid_request") << "X's answer to a spent refresh token";
}

TEST(FakeOAuth, WithoutARegisteredClientNothingIsGranted) {
  FakeServer api;
  FakeOAuth fake(FakeOAuth::Client{}, FakeOAuth::x(), api, "/2/oauth2/token");
  fake.add_grant({"rt-1", "", "", "1003"});
  auto page = http_post_form(fake.token_url(), "grant_type=refresh_token&refresh_token=rt-1");
  EXPECT_EQ(page.status, 401u);
  EXPECT_EQ(error_of(page), "invalid_client");
}

}  // namespace
}  // namespace automuse::testing
