// tests/tiktok_fake/oauth_test.cpp — the fake's OAuth endpoints as TikTok's desktop Login Kit
// has them: client_key and comma-separated scopes at the consent, the hex SHA-256 PKCE
// challenge accepted and RFC 7636's base64url one refused at the exchange, top-level token
// answers, single-use codes, refresh tokens replaced on refresh, revoke, and expired access
// tokens answered 401 access_token_invalid by the API.
#include <gtest/gtest.h>

#include <map>

#include "support/digest.hpp"
#include "support/encoding.hpp"
#include "tiktok_fake/tiktok_fixture.hpp"

namespace automuse::testing::tiktok_test {
namespace {

const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk~tiktok.desktop";

struct Callback {
  unsigned status = 0;
  std::map<std::string, std::string> params;  // of the redirect to the app, decoded
};

std::string redirect_uri(uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/callback/";
}

Callback consent(FakeTikTok &fake, const std::string &challenge,
                 const std::string &scope = "user.info.basic,video.publish",
                 const std::string &key_param = "client_key") {
  Answer a = get(fake.authorize_url() + "?" + key_param + "=" + fake.client().key +
                 "&scope=" + percent_encode(scope) +
                 "&response_type=code&redirect_uri=" + percent_encode(redirect_uri(8123)) +
                 "&state=st4te&code_challenge=" + challenge + "&code_challenge_method=S256");
  Callback c{a.status, {}};
  const std::string location = a.header("Location").value_or("");
  if (const size_t q = location.find('?'); q != std::string::npos)
    for (auto &[k, v] : parse_form(location.substr(q + 1))) c.params[k] = v;
  return c;
}

Answer exchange(FakeTikTok &fake, const std::string &code, const std::string &verifier) {
  return post_form(
      fake.token_url(),
      "client_key=" + fake.client().key + "&client_secret=" + fake.client().secret +
          "&code=" + percent_encode(code) +
          "&grant_type=authorization_code&redirect_uri=" + percent_encode(redirect_uri(8123)) +
          (verifier.empty() ? "" : "&code_verifier=" + verifier));
}

Answer refresh(FakeTikTok &fake, const std::string &refresh_token) {
  return post_form(fake.token_url(),
                   "client_key=" + fake.client().key + "&client_secret=" + fake.client().secret +
                       "&grant_type=refresh_token&refresh_token=" + percent_encode(refresh_token));
}

void expect_oauth_error(const Answer &a, unsigned status, const std::string &error) {
  EXPECT_EQ(a.status, status) << a.body;
  const json::object o = a.json().as_object();
  EXPECT_EQ(o.at("error").as_string(), error) << a.body;
  EXPECT_FALSE(o.at("error_description").as_string().empty());
  EXPECT_FALSE(o.at("log_id").as_string().empty());
  EXPECT_FALSE(o.contains("data")) << "OAuth errors are top level";
}

TEST(FakeTikTokOAuth, HexChallengeIsAcceptedAndBase64urlRefused) {
  Posting posting;
  Callback hex = consent(posting.fake, sha256_hex(kVerifier));
  ASSERT_EQ(hex.status, 302u);
  EXPECT_EQ(hex.params["state"], "st4te");
  EXPECT_EQ(hex.params["scopes"], "user.info.basic,video.publish");
  ASSERT_FALSE(hex.params["code"].empty());
  EXPECT_NE(hex.params["code"].find_first_of("*!"), std::string::npos)
      << "codes carry characters a client must encode";
  Answer tokens = exchange(posting.fake, hex.params["code"], kVerifier);
  ASSERT_EQ(tokens.status, 200u) << tokens.body;
  const json::object t = tokens.json().as_object();
  EXPECT_FALSE(t.contains("data")) << "token answers are top level";
  EXPECT_EQ(std::string(t.at("access_token").as_string()).rfind("act.", 0), 0u);
  EXPECT_EQ(std::string(t.at("refresh_token").as_string()).rfind("rft.", 0), 0u);
  EXPECT_EQ(t.at("open_id").as_string(), posting.open_id);
  EXPECT_EQ(t.at("expires_in"), 86400);
  EXPECT_EQ(t.at("refresh_expires_in"), 31536000);
  EXPECT_EQ(t.at("scope"), "user.info.basic,video.publish");
  EXPECT_EQ(t.at("token_type"), "Bearer");
  expect_ok(posting.creator_info(std::string(t.at("access_token").as_string())));

  Callback b64 = consent(posting.fake, base64url_sha256(kVerifier));
  ASSERT_EQ(b64.status, 302u);
  expect_oauth_error(exchange(posting.fake, b64.params["code"], kVerifier), 400, "invalid_grant");
}

TEST(FakeTikTokOAuth, CodesAreSingleUseAndNeedTheVerifier) {
  Posting posting;
  Callback c = consent(posting.fake, sha256_hex(kVerifier));
  expect_oauth_error(exchange(posting.fake, c.params["code"], ""), 400, "invalid_request");
  // The failed attempt used the code up.
  expect_oauth_error(exchange(posting.fake, c.params["code"], kVerifier), 400, "invalid_grant");
  Callback d = consent(posting.fake, sha256_hex(kVerifier));
  ASSERT_EQ(exchange(posting.fake, d.params["code"], kVerifier).status, 200u);
  expect_oauth_error(exchange(posting.fake, d.params["code"], kVerifier), 400, "invalid_grant");
  Answer wrong_client = post_form(posting.fake.token_url(),
                                  "client_key=someone&client_secret=else&grant_type=refresh_token");
  expect_oauth_error(wrong_client, 401, "invalid_client");
  posting.fake.oauth_errors_with_status_200(true);
  expect_oauth_error(post_form(posting.fake.token_url(), "client_key=someone&client_secret=else"),
                     200, "invalid_client");
}

TEST(FakeTikTokOAuth, ConsentWantsClientKeyAndCommaSeparatedScopes) {
  Posting posting;
  EXPECT_EQ(consent(posting.fake, sha256_hex(kVerifier), "video.publish", "client_id").status,
            400u);
  Callback spaced = consent(posting.fake, sha256_hex(kVerifier), "user.info.basic video.publish");
  EXPECT_EQ(spaced.params["error"], "invalid_scope");
  EXPECT_EQ(spaced.params.count("code"), 0u);

  posting.fake.user_unchecks_scope("video.publish");
  Callback partial = consent(posting.fake, sha256_hex(kVerifier));
  EXPECT_EQ(partial.params["scopes"], "user.info.basic");
  Answer tokens = exchange(posting.fake, partial.params["code"], kVerifier);
  ASSERT_EQ(tokens.status, 200u);
  expect_refusal(posting.creator_info(std::string(tokens.json().at("access_token").as_string())),
                 401, "scope_not_authorized");

  posting.fake.deny_consent(true);
  Callback denied = consent(posting.fake, sha256_hex(kVerifier));
  EXPECT_EQ(denied.params["error"], "access_denied");
  EXPECT_EQ(denied.params["state"], "st4te");
}

TEST(FakeTikTokOAuth, RefreshReplacesTheRefreshTokenAndRefusesTheOldOne) {
  Posting posting;
  const auto tokens = posting.fake.authorise(posting.open_id);
  Answer first = refresh(posting.fake, tokens.refresh_token);
  ASSERT_EQ(first.status, 200u) << first.body;
  const std::string replaced(first.json().at("refresh_token").as_string());
  EXPECT_NE(replaced, tokens.refresh_token);
  expect_ok(posting.creator_info(std::string(first.json().at("access_token").as_string())));
  expect_oauth_error(refresh(posting.fake, tokens.refresh_token), 400, "invalid_grant");

  posting.fake.replace_refresh_tokens(false);  // the other reading: the same one comes back
  Answer second = refresh(posting.fake, replaced);
  ASSERT_EQ(second.status, 200u);
  EXPECT_EQ(second.json().at("refresh_token").as_string(), replaced);
  EXPECT_EQ(posting.fake.refreshes(), 2);

  posting.fake.expire_refresh_tokens();
  expect_oauth_error(refresh(posting.fake, replaced), 400, "invalid_grant");
}

TEST(FakeTikTokOAuth, ALostRefreshReplyLeavesOnlyTheNewTokenValid) {
  Posting posting;
  const auto tokens = posting.fake.authorise(posting.open_id);
  posting.fake.lose_next_token_reply();
  EXPECT_EQ(refresh(posting.fake, tokens.refresh_token).status, 0u);
  expect_oauth_error(refresh(posting.fake, tokens.refresh_token), 400, "invalid_grant");
  EXPECT_EQ(posting.fake.faults_served().at("token_reply_lost"), 1);
}

TEST(FakeTikTokOAuth, ExpiredOrRevokedAccessTokensAre401AccessTokenInvalid) {
  Posting posting;
  expect_ok(posting.creator_info());
  posting.fake.expire_access_tokens();
  expect_refusal(posting.creator_info(), 401, "access_token_invalid");
  expect_refusal(posting.init(1000, 1000, 1), 401, "access_token_invalid");

  const auto tokens = posting.fake.authorise(posting.open_id);
  expect_ok(posting.creator_info(tokens.access_token));
  Answer revoked =
      post_form(posting.fake.revoke_url(), "client_key=" + posting.fake.client().key +
                                               "&client_secret=" + posting.fake.client().secret +
                                               "&token=" + tokens.access_token);
  EXPECT_EQ(revoked.status, 200u);
  EXPECT_TRUE(revoked.body.empty());
  expect_refusal(posting.creator_info(tokens.access_token), 401, "access_token_invalid");
  expect_oauth_error(refresh(posting.fake, tokens.refresh_token), 400, "invalid_grant");
  expect_refusal(posting.creator_info("not-a-token"), 401, "access_token_invalid");
}

}  // namespace
}  // namespace automuse::testing::tiktok_test
