// Redirect hygiene end to end, with two loopback fake servers as two origins (same host,
// another port): credentials and request bodies never reach the second one, https -> http is
// refused before anything is sent, hops are capped, and a same-origin hop keeps everything.
#include <filesystem>

#include "client_fixture.hpp"
#include "support/temp_folder.hpp"
#include "support/test_certificate.hpp"

namespace automuse::http::test {
namespace {

using automuse::testing::TestCertificate;

class RedirectTest : public ClientFixture {
 protected:
  // Every credential shape the host's providers send, plus one harmless header.
  static Headers credentials() {
    return {{"Authorization", "Bearer sk-redirect-secret"},
            {"x-goog-api-key", "goog-redirect-secret"},
            {"xi-api-key", "xi-redirect-secret"},
            {"x-api-key", "x-redirect-secret"},
            {"api-key", "azure-redirect-secret"},
            {"Cookie", "session=cookie-redirect-secret"},
            {"Accept", "application/json"}};
  }

  // No header and no body of `seen` carries any of the secrets above.
  static void expect_no_secret(const ReceivedRequest &seen) {
    for (const auto &[name, value] : seen.headers)
      EXPECT_EQ(value.find("redirect-secret"), std::string::npos) << name << ": " << value;
    EXPECT_EQ(seen.body.find("redirect-secret"), std::string::npos) << seen.body;
  }

  FakeServer first_;
  FakeServer second_;
};

TEST_F(RedirectTest, CrossOriginHopDropsEveryCredentialHeader) {
  first_.route("GET", "/start", Reply::error(302).with_header("Location", second_.url("/land")));
  second_.route("GET", "/land", Reply::text("landed"));
  Request req = get(first_.url("/start"));
  req.headers = credentials();
  Response r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "landed");
  EXPECT_EQ(r.attempts, 1);  // a hop is not a retry
  ASSERT_EQ(first_.requests("/start").size(), 1u);
  EXPECT_EQ(first_.requests("/start")[0].header("x-goog-api-key"), "goog-redirect-secret");
  auto seen = second_.requests("/land");
  ASSERT_EQ(seen.size(), 1u);
  expect_no_secret(seen[0]);
  for (const char *name :
       {"authorization", "x-goog-api-key", "xi-api-key", "x-api-key", "api-key", "cookie"})
    EXPECT_FALSE(seen[0].header(name)) << name;
  EXPECT_EQ(seen[0].header("accept"), "application/json");  // not a credential: kept
}

TEST_F(RedirectTest, HeadersTheRequestMarksSecretStayHomeToo) {
  first_.route("GET", "/start", Reply::error(301).with_header("Location", second_.url("/land")));
  second_.route("GET", "/land", Reply::text("landed"));
  Request req = get(first_.url("/start"));
  req.headers = {{"X-Shop-Signature", "sig-redirect-secret"}, {"X-Trace", "t1"}};
  req.secret_headers = {"x-shop-signature"};
  Response r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  auto seen = second_.requests("/land");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].header("x-shop-signature"));
  EXPECT_EQ(seen[0].header("x-trace"), "t1");
}

// A token refresh answered with 307/308 towards another origin: the refresh token and the
// client secret in the body must not be posted there, even when the request may be re-sent
// (YouTube's token refresh is).
TEST_F(RedirectTest, BodyIsNeverResentToAnotherOriginBy307Or308) {
  for (auto [code, resend] : {std::pair{307u, false}, {307u, true}, {308u, false}, {308u, true}}) {
    SCOPED_TRACE(std::to_string(code) + (resend ? " safe to re-send" : ""));
    first_.clear_requests();
    second_.clear_requests();
    first_.route("POST", "/token",
                 Reply::error(code).with_header("Location", second_.url("/steal")));
    second_.route("*", "/steal", Reply::json(R"({"access_token":"x"})"));
    Request req = get(first_.url("/token"));
    req.method = "POST";
    req.headers = credentials();
    req.body = "grant_type=refresh_token&refresh_token=rt-redirect-secret&client_secret=cs";
    req.retry.safe_to_resend_body = resend;
    Response r = send(req);
    EXPECT_NE(r.status, AM_OK) << code;
    EXPECT_NE(r.error.find("another origin"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("redirect-secret"), std::string::npos) << r.error;
    EXPECT_EQ(first_.requests("/token").size(), 1u);
    EXPECT_EQ(second_.request_count(), 0u);
  }
}

TEST_F(RedirectTest, SameOriginHopKeepsHeadersAndBody) {
  first_.route("PUT", "/old", Reply::error(308).with_header("Location", "/new"));
  first_.route("PUT", "/new",
               [](const ReceivedRequest &q) { return Reply::text("got " + q.body); });
  Request req = get(first_.url("/old"));
  req.method = "PUT";
  req.headers = credentials();
  req.body = "chunk";
  Response r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "got chunk");
  auto seen = first_.requests("/new");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header("authorization"), "Bearer sk-redirect-secret");
  EXPECT_EQ(seen[0].header("x-goog-api-key"), "goog-redirect-secret");
  EXPECT_EQ(seen[0].header("cookie"), "session=cookie-redirect-secret");
}

// RFC 9110: after 301, 302 and 303 a POST goes on as a GET without its body (and without the
// headers that described it).
TEST_F(RedirectTest, SeeOtherAndFoundBecomeAGetWithoutBody) {
  for (unsigned code : {301u, 302u, 303u}) {
    second_.clear_requests();
    first_.route("POST", "/form",
                 Reply::error(code).with_header("Location", second_.url("/result")));
    second_.route("GET", "/result", Reply::text("result"));
    Request req = get(first_.url("/form"));
    req.method = "POST";
    req.headers = credentials();
    req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    req.body = "code=redirect-secret";
    Response r = send(req);
    ASSERT_EQ(r.status, AM_OK) << r.error;
    EXPECT_EQ(r.body, "result") << code;
    auto seen = second_.requests("/result");
    ASSERT_EQ(seen.size(), 1u) << code;
    EXPECT_EQ(seen[0].method, "GET");
    EXPECT_TRUE(seen[0].body.empty());
    EXPECT_FALSE(seen[0].header("content-type"));
    expect_no_secret(seen[0]);
  }
}

TEST_F(RedirectTest, HopsAreCappedAtTen) {
  first_.route("GET", "/loop", Reply::error(302).with_header("Location", "/loop"));
  Response r = send(get(first_.url("/loop")));
  EXPECT_NE(r.status, AM_OK);
  EXPECT_NE(r.error.find("redirect"), std::string::npos) << r.error;
  EXPECT_EQ(first_.requests("/loop").size(), 11u);  // the request and 10 hops
}

TEST_F(RedirectTest, NonHttpTargetIsRefused) {
  first_.route("GET", "/start", Reply::error(302).with_header("Location", "file:///etc/passwd"));
  Response r = send(get(first_.url("/start")));
  EXPECT_NE(r.status, AM_OK);
  EXPECT_NE(r.error.find("file"), std::string::npos) << r.error;
}

TEST_F(RedirectTest, HttpsToHttpIsRefusedBeforeAnythingIsSent) {
  TestCertificate cert = TestCertificate::generate();
  automuse::testing::TempFolder folder;
  ClientConfig config;
  config.ca_bundle = cert.write_ca_file(folder / "ca.pem").string();
  start_client(config);
  FakeServer secure({.tls = true, .certificate = &cert});
  secure.route("GET", "/start", Reply::error(302).with_header("Location", second_.url("/plain")));
  second_.route("GET", "/plain", Reply::text("plain"));
  Request req = get(secure.url("/start"));
  req.headers = credentials();
  Response r = send(req);
  EXPECT_EQ(r.status, AM_PERMISSION_DENIED) << r.error;
  EXPECT_NE(r.error.find("https"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(second_.url("/plain")), std::string::npos) << r.error;
  EXPECT_EQ(secure.requests("/start").size(), 1u);
  EXPECT_EQ(second_.request_count(), 0u);
}

}  // namespace
}  // namespace automuse::http::test
