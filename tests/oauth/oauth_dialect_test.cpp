// tests/oauth/oauth_dialect_test.cpp — automuse.oauth/1's ABI 1.7 fields, each against a
// loopback token endpoint that checks it: TikTok's client_key, comma-separated scopes and hex
// S256 challenge (FakeTikTok recomputes it at the exchange), its refusals with HTTP 200;
// Instagram's code exchange wrapped in {"data":[...]} (and bare), without PKCE, and its
// {"error_type","code","error_message"} refusals (FakeInstagram); a code exchange by GET
// against a small Graph-style endpoint written here; a 1.6-sized request whose bytes past its
// end are garbage getting the RFC defaults; and bad values refused naming the field.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstddef>
#include <cstring>
#include <future>
#include <map>
#include <regex>
#include <vector>

#include "oauth/flow_request.hpp"
#include "oauth/pkce.hpp"
#include "oauth_service_fixture.hpp"
#include "support/encoding.hpp"
#include "support/fake_server.hpp"
#include "support/instagram/fake_instagram.hpp"
#include "support/oauth/fake_browser.hpp"
#include "support/tiktok/fake_tiktok.hpp"

namespace automuse::oauth {
namespace {

namespace json = boost::json;
using automuse::testing::browser_visit;
using automuse::testing::FakeInstagram;
using automuse::testing::FakeOAuth;
using automuse::testing::FakeServer;
using automuse::testing::FakeTikTok;
using automuse::testing::ReceivedRequest;
using automuse::testing::Reply;

// The parameters of a URL's query, percent-decoded.
std::map<std::string, std::string> query_of(const std::string &url) {
  std::map<std::string, std::string> out;
  for (auto &[k, v] : automuse::testing::parse_form(url.substr(url.find('?') + 1))) out[k] = v;
  return out;
}

class OAuthDialectTest : public OAuthServiceTest {
 protected:
  am::oauth_request tiktok_request(const FakeTikTok &fake) {
    am::oauth_request r;
    r.label = "TikTok account 'chef'";
    r.authorize_url = fake.authorize_url();
    r.token_url = fake.token_url();
    r.client_id = fake.client().key;
    r.client_secret = fake.client().secret;
    r.client_id_name = "client_key";
    r.scope_separator = ",";
    r.challenge = AM_OAUTH_CHALLENGE_S256_HEX;
    r.scopes = {"user.info.basic", "video.publish", "video.upload"};
    r.redirect_path = fake.client().redirect_path;
    r.browser = AM_OAUTH_BROWSER_NEVER;
    r.timeout_ms = 20000;
    return r;
  }
  am::oauth_request instagram_request(const FakeInstagram &fake) {
    am::oauth_request r;
    r.label = "Instagram account 'chef'";
    r.authorize_url = fake.authorize_url();
    r.token_url = fake.token_url();
    r.client_id = "990602627938098";
    r.client_secret = "ig-app-secret-4d1c";
    r.scope_separator = ",";
    r.challenge = AM_OAUTH_CHALLENGE_NONE;
    r.token_answer = AM_OAUTH_ANSWER_DATA_ARRAY;
    r.scopes = {"instagram_business_basic", "instagram_business_content_publish"};
    r.browser = AM_OAUTH_BROWSER_NEVER;
    r.timeout_ms = 20000;
    return r;
  }
  static FakeInstagram::App instagram_app() {
    return {"990602627938098", "ig-app-secret-4d1c", {}};
  }
  static FakeInstagram::User instagram_user() {
    FakeInstagram::User u;
    u.id = "17841400000000001";
    u.username = "chef";
    return u;
  }
  // Runs one authorisation with the browser following the consent's redirect.
  am::oauth_result authorise(am::oauth_request req, std::string *authorize_url = nullptr) {
    auto s = start(std::move(req));
    auto [url, redirect] = get(s.url);
    if (authorize_url) *authorize_url = url;
    browser_visit(url);
    return get(s.result);
  }
};

TEST(Pkce, HexChallengeIsTheLowerCaseHexOfTheSha256) {
  EXPECT_EQ(s256_hex_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3");
}

// client_key, comma scopes and the hex challenge: FakeTikTok refuses client_id, splits the
// scope on commas and recomputes the hex challenge from the verifier at the exchange.
TEST_F(OAuthDialectTest, TikTokClientKeyCommaScopesAndHexChallenge) {
  FakeTikTok fake;
  fake.add_account({});
  std::string url;
  am::oauth_result r = authorise(tiktok_request(fake), &url);
  ASSERT_EQ(r.status, AM_OK) << r.error
                             << " rejections: " << ::testing::PrintToString(fake.rejections());
  auto q = query_of(url);
  EXPECT_EQ(q["client_key"], fake.client().key);
  EXPECT_EQ(q.count("client_id"), 0u) << url;
  EXPECT_EQ(q["scope"], "user.info.basic,video.publish,video.upload");
  EXPECT_TRUE(std::regex_match(q["code_challenge"], std::regex("[0-9a-f]{64}"))) << url;
  EXPECT_EQ(q["code_challenge_method"], "S256");
  ASSERT_EQ(fake.challenges().size(), 1u);
  EXPECT_EQ(fake.challenges()[0], q["code_challenge"]);
  json::object token = json::parse(r.token_json).as_object();
  EXPECT_EQ(std::string(token.at("access_token").as_string()).rfind("act.", 0), 0u);
  EXPECT_EQ(std::string(token.at("refresh_token").as_string()).rfind("rft.", 0), 0u);
  EXPECT_TRUE(fake.rejections().empty());
}

// The same request with RFC 7636's base64url challenge is refused by TikTok's endpoint: the
// encoding really is what the test above checked.
TEST_F(OAuthDialectTest, TikTokRefusesTheBase64urlChallenge) {
  FakeTikTok fake;
  fake.add_account({});
  auto req = tiktok_request(fake);
  req.challenge = AM_OAUTH_CHALLENGE_S256;
  am::oauth_result r = authorise(std::move(req));
  EXPECT_NE(r.status, AM_OK);
  EXPECT_TRUE(r.token_json.empty());
}

// TikTok may refuse with HTTP 200: an answer without access_token is the error it carries.
TEST_F(OAuthDialectTest, TikTokRefusalWithStatus200IsExplained) {
  FakeTikTok fake;
  fake.add_account({});
  fake.oauth_errors_with_status_200(true);
  auto req = tiktok_request(fake);
  req.client_secret = "not-the-client-secret-9f2";
  am::oauth_result r = authorise(std::move(req));
  EXPECT_EQ(r.status, AM_UNAUTHENTICATED);
  EXPECT_NE(r.error.find("refused the client (invalid_client: "), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("TikTok account 'chef'"), std::string::npos) << r.error;
}

// Instagram's code exchange: no PKCE, comma scopes, the tokens inside {"data":[...]}.
TEST_F(OAuthDialectTest, InstagramDataArrayIsUnwrapped) {
  FakeInstagram fake(instagram_app());
  fake.add_user(instagram_user());
  std::string url;
  am::oauth_result r = authorise(instagram_request(fake), &url);
  ASSERT_EQ(r.status, AM_OK) << r.error << ::testing::PrintToString(fake.refusals());
  auto q = query_of(url);
  EXPECT_EQ(q["client_id"], "990602627938098");
  EXPECT_EQ(q["scope"], "instagram_business_basic,instagram_business_content_publish");
  EXPECT_EQ(q.count("code_challenge"), 0u) << url;
  EXPECT_EQ(q.count("code_challenge_method"), 0u) << url;
  json::object token = json::parse(r.token_json).as_object();
  EXPECT_FALSE(token.contains("data"));
  EXPECT_EQ(std::string(token.at("access_token").as_string()).rfind("IGQ", 0), 0u);
  EXPECT_EQ(token.at("user_id").as_string(), "17841400000000001");
}

// Whether Instagram also answers unwrapped is not settled: a bare object is taken too.
TEST_F(OAuthDialectTest, InstagramBareObjectIsAcceptedToo) {
  FakeInstagram fake(instagram_app());
  fake.add_user(instagram_user());
  fake.wrap_code_exchange(false);
  am::oauth_result r = authorise(instagram_request(fake));
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_TRUE(json::parse(r.token_json).as_object().contains("access_token"));
}

TEST_F(OAuthDialectTest, InstagramErrorShapeIsExplained) {
  FakeInstagram fake(instagram_app());
  fake.add_user(instagram_user());
  fake.fail_next_code_exchange("Matching code was not found or was already used");
  am::oauth_result r = authorise(instagram_request(fake));
  EXPECT_EQ(r.status, AM_UNAUTHENTICATED);
  EXPECT_NE(r.error.find("(OAuthException 400: Matching code was not found or was already used)"),
            std::string::npos)
      << r.error;
}

// A Graph-style provider that exchanges the code by GET, parameters in the query.
class GetExchangeProvider {
 public:
  GetExchangeProvider() {
    server_.route("GET", "/authorize", [this](const ReceivedRequest &r) {
      challenge_ = r.query_param("code_challenge").value_or("");
      return Reply::text("", 302).with_header(
          "Location", r.query_param("redirect_uri").value_or("") +
                          "?code=c0de-42&state=" + r.query_param("state").value_or(""));
    });
    server_.route("*", "/token", [this](const ReceivedRequest &r) { return token(r); });
  }
  std::string authorize_url() const { return server_.url("/authorize"); }
  std::string token_url() const { return server_.url("/token?v=2"); }
  std::vector<ReceivedRequest> token_requests() const { return server_.requests("/token"); }

 private:
  Reply token(const ReceivedRequest &r) {
    auto q = [&](const char *k) { return r.query_param(k).value_or(""); };
    if (r.method != "GET" || !r.body.empty() || q("v") != "2" || q("code") != "c0de-42" ||
        q("grant_type") != "authorization_code" || q("client_id") != "graph-app" ||
        q("client_secret") != "graph-secret-77a" || q("redirect_uri").empty() ||
        s256_challenge(q("code_verifier")) != challenge_)
      return Reply::json(
          R"({"error":{"message":"bad exchange","type":"OAuthException","code":100}})", 400);
    return Reply::json(R"({"access_token":"EAAG-graph-token-1","token_type":"bearer"})");
  }
  FakeServer server_;
  std::string challenge_;
};

TEST_F(OAuthDialectTest, CodeExchangeByGetCarriesTheFormInTheQuery) {
  GetExchangeProvider provider;
  am::oauth_request req;
  req.label = "Graph account 'chef'";
  req.authorize_url = provider.authorize_url();
  req.token_url = provider.token_url();
  req.client_id = "graph-app";
  req.client_secret = "graph-secret-77a";
  req.token_method = AM_OAUTH_TOKEN_GET_QUERY;
  req.browser = AM_OAUTH_BROWSER_NEVER;
  req.timeout_ms = 20000;
  am::oauth_result r = authorise(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(json::parse(r.token_json).at("access_token"), "EAAG-graph-token-1");
  auto sent = provider.token_requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_FALSE(sent[0].header("content-type").has_value());

  // Graph's {"error":{...}} envelope is explained too.
  req.client_secret = "wrong-graph-secret";
  r = authorise(std::move(req));
  EXPECT_EQ(r.status, AM_UNAUTHENTICATED);
  EXPECT_NE(r.error.find("(OAuthException 100: bad exchange)"), std::string::npos) << r.error;
}

// A plugin built for 1.6 hands a 160-byte request: whatever lies past its end is never read.
TEST_F(OAuthDialectTest, AOneSixRequestGetsTheRfcDefaults) {
  FakeOAuth fake(
      FakeOAuth::google_client("1234-test.apps.googleusercontent.com", "GOCSPX-test-secret-42"));
  const std::string auth = fake.authorize_url(), token = fake.token_url();
  const std::string id = "1234-test.apps.googleusercontent.com", secret = "GOCSPX-test-secret-42";
  const std::string scope = kUpload, garbage = "zzz";
  am_oauth_param offline{{"access_type", 11}, {"offline", 7}};
  am_str scopes[] = {{scope.data(), scope.size()}};
  am_oauth_request full;
  std::memset(&full, 0x5a, sizeof full);  // what lies beyond a 1.6 plugin's struct
  full.struct_size = offsetof(am_oauth_request, client_id_name);
  full.label = {nullptr, 0};
  full.authorize_url = {auth.data(), auth.size()};
  full.token_url = {token.data(), token.size()};
  full.client_id = {id.data(), id.size()};
  full.client_secret = {secret.data(), secret.size()};
  full.client_auth = AM_OAUTH_CLIENT_SECRET_POST;
  full.browser = AM_OAUTH_BROWSER_NEVER;
  full.scopes = scopes;
  full.scope_count = 1;
  full.params = &offline;
  full.param_count = 1;
  full.redirect_path = {nullptr, 0};
  full.port = 0;
  full.timeout_ms = 20000;
  struct Run {
    std::promise<std::string> url;
    std::promise<std::pair<am_status, std::string>> done;
  } run;
  full.on_url = [](void *u, am_str url, am_str) {
    static_cast<Run *>(u)->url.set_value(std::string(url.data, url.len));
  };
  table()->authorize(
      table(), job_.get(), &full,
      [](void *u, const am_oauth_result *r) {
        static_cast<Run *>(u)->done.set_value(
            {r->status, std::string(r->error.data, r->error.len)});
      },
      &run);
  auto url = run.url.get_future();
  ASSERT_EQ(url.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const std::string authorize = url.get();
  browser_visit(authorize);
  auto done = run.done.get_future();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  auto [status, error] = done.get();
  EXPECT_EQ(status, AM_OK) << error;
  auto q = query_of(authorize);
  EXPECT_EQ(q["client_id"], id);
  EXPECT_EQ(q["code_challenge"].size(), 43u) << "base64url S256";
  job_->wait_idle();
}

TEST_F(OAuthDialectTest, BadDialectValuesAreRefusedNamingTheField) {
  FakeTikTok fake;
  struct Case {
    void (*change)(am::oauth_request &);
    const char *expect;
  } cases[] = {
      {[](am::oauth_request &r) { r.client_id_name = "client key"; },
       "client_id_name: 'client key'"},
      {[](am::oauth_request &r) { r.client_id_name = "scope"; }, "client_id_name: 'scope'"},
      {[](am::oauth_request &r) { r.scope_separator = "\n"; }, "scope_separator:"},
      {[](am::oauth_request &r) { r.scopes = {"video.publish,video.upload"}; },
       "scopes[0]: 'video.publish,video.upload' contains the scope_separator ','"},
      {[](am::oauth_request &r) { r.challenge = 7; }, "challenge: unknown value 7"},
      {[](am::oauth_request &r) { r.token_method = 2; }, "token_method: unknown value 2"},
      {[](am::oauth_request &r) { r.token_answer = -1; }, "token_answer: unknown value -1"},
      {[](am::oauth_request &r) {
         r.params = {{"client_key", "x"}};
       },
       "params[0]: 'client_key' is set by the service itself"},
  };
  for (const Case &c : cases) {
    auto req = tiktok_request(fake);
    c.change(req);
    auto s = start(std::move(req));
    am::oauth_result r = get(s.result);
    EXPECT_EQ(r.status, AM_INVALID_ARGUMENT) << c.expect;
    EXPECT_NE(r.error.find(c.expect), std::string::npos) << r.error;
  }
  EXPECT_TRUE(fake.challenges().empty());
}

}  // namespace
}  // namespace automuse::oauth
