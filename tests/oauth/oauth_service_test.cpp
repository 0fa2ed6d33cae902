// tests/oauth/oauth_service_test.cpp — automuse.oauth/1 in process, on the host core's
// runtime and jobs, against the fake authorization server, with the test playing the
// browser: PKCE values (RFC 7636's vector), percent-encoding, the Google (secret in the
// form), X confidential (HTTP Basic) and public-client shapes, a wrong state refused while
// waiting goes on, access_denied, invalid_grant, timeout, cancellation (exactly one
// completion), bad requests, a busy port, and that the fake itself refuses reused codes and
// wrong verifiers.
#include "oauth/oauth_service.hpp"

#include <automuse/oauth.h>
#include <gtest/gtest.h>

#include <atomic>
#include <automuse/cpp/oauth.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <future>
#include <memory>
#include <mutex>
#include <regex>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "core/services.hpp"
#include "http/base64.hpp"
#include "http/http_client.hpp"
#include "http/http_service.hpp"
#include "log/redaction.hpp"
#include "oauth/flow_request.hpp"
#include "oauth/pkce.hpp"
#include "oauth_service_fixture.hpp"
#include "support/oauth/fake_browser.hpp"
#include "support/oauth/fake_oauth.hpp"

namespace automuse::oauth {
namespace {

namespace json = boost::json;
using automuse::testing::browser_get;
using automuse::testing::browser_visit;
using automuse::testing::FakeOAuth;
using automuse::testing::http_post_form;
using namespace std::chrono_literals;

FakeOAuth::Client google_client() {
  FakeOAuth::Client c;
  c.id = "1234-test.apps.googleusercontent.com";
  c.secret = "GOCSPX-test-secret-42";
  c.auth = FakeOAuth::ClientAuth::post;
  c.required_scopes = {kUpload};
  c.required_params = {{"access_type", "offline"}};
  return c;
}

// A port nobody listens on right now.
uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::address_v4::loopback(), 0});
  return a.local_endpoint().port();
}

std::string with_param(std::string url, const std::string &name, const std::string &value) {
  std::regex re("([?&]" + name + "=)[^&]*");
  return std::regex_replace(url, re, "$1" + value);
}

TEST(Pkce, MatchesTheRfc7636Vector) {
  // RFC 7636 appendix B.
  EXPECT_EQ(s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, VerifiersAreLongRandomAndUnreserved) {
  std::string a = make_code_verifier(), b = make_code_verifier();
  EXPECT_NE(a, b);
  EXPECT_GE(a.size(), 43u);
  EXPECT_LE(a.size(), 128u);
  EXPECT_TRUE(std::regex_match(a, std::regex("[A-Za-z0-9_-]+"))) << a;
  EXPECT_EQ(s256_challenge(a).size(), 43u);  // 32 bytes, base64url, no padding
  EXPECT_EQ(http::base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(http::base64_encode("ab"), "YWI=");
  EXPECT_EQ(http::base64_decode("YWI="), "ab");
  EXPECT_EQ(http::base64_decode("Y WI=\n"), "ab");
  EXPECT_EQ(http::base64_decode("YWI"), std::nullopt);
}

TEST(FlowRequest, PercentEncodesAllButTheUnreservedCharacters) {
  // Query strings and form bodies: upper-case hex, a space is %20 (never '+').
  EXPECT_EQ(percent_encode("a b+c/d~e*f€%"), "a%20b%2Bc%2Fd~e%2Af%E2%82%AC%25");
  EXPECT_EQ(percent_encode("-._~AZaz09"), "-._~AZaz09");
  EXPECT_EQ(percent_encode(std::string("\0=&?#", 5)), "%00%3D%26%3F%23");
}

TEST_F(OAuthServiceTest, GoogleLoopbackFlowWithPkce) {
  FakeOAuth fake(google_client());
  auto s = start(google_request(fake));
  auto [url, redirect] = get(s.url);
  EXPECT_EQ(url.rfind(fake.authorize_url() + "?", 0), 0u) << url;
  EXPECT_TRUE(std::regex_match(redirect, std::regex("http://127\\.0\\.0\\.1:[0-9]+"))) << redirect;
  EXPECT_NE(printed().find(url), std::string::npos) << "the URL is shown to the user";

  auto visit = browser_visit(url);
  ASSERT_EQ(visit.page.status, 200u) << visit.page.error << visit.page.body;
  EXPECT_NE(visit.page.body.find("Authorised"), std::string::npos);
  ASSERT_EQ(visit.urls.size(), 2u);
  EXPECT_EQ(visit.urls[1].rfind(redirect + "?code=", 0), 0u) << visit.urls[1];

  am::oauth_result r = get(s.result);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.redirect_uri, redirect);
  auto issued = fake.issued();
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_TRUE(issued[0].redeemed);
  EXPECT_GE(issued[0].verifier.size(), 43u);
  json::value token = json::parse(r.token_json);
  EXPECT_EQ(token.at("access_token"), issued[0].access_token.c_str());
  EXPECT_EQ(token.at("refresh_token"), issued[0].refresh_token.c_str());
  auto q = fake.last_authorize();
  EXPECT_EQ(q["access_type"], "offline");
  EXPECT_EQ(q["prompt"], "consent");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q["scope"], kUpload);
  EXPECT_TRUE(fake.failures().empty()) << fake.failures()[0];
  // The listener is closed once done.
  EXPECT_EQ(browser_get(redirect + "/").status, 0u);
  // Nothing secret reached the terminal.
  for (const std::string &secret : {issued[0].code, issued[0].verifier, issued[0].access_token,
                                    issued[0].refresh_token, std::string("GOCSPX-test-secret-42")})
    EXPECT_EQ(printed().find(secret), std::string::npos) << secret;
  EXPECT_EQ(completions_.load(), 1);
}

// Every secret of a flow is known to the redactor from the moment the host holds it: the
// client secret as the flow starts (even one of no recognisable shape), the code, the
// verifier and the tokens as they arrive. The fake's own log keeps the bodies it received,
// so the redactor is checked directly.
TEST_F(OAuthServiceTest, TheFlowsSecretsAreRedactedOnceKnown) {
  const std::string client_secret = "plain-client-value-1b9d";
  FakeOAuth::Client client = google_client();
  client.secret = client_secret;
  FakeOAuth fake(client);
  auto req = google_request(fake);
  req.client_secret = client_secret;
  auto s = start(std::move(req));
  browser_visit(get(s.url).first);
  am::oauth_result r = get(s.result);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  auto issued = fake.issued();
  ASSERT_EQ(issued.size(), 1u);
  for (const std::string &secret : {client_secret, issued[0].code, issued[0].verifier,
                                    issued[0].access_token, issued[0].refresh_token})
    EXPECT_EQ(log::redact("sent " + secret + " once"), "sent *** once") << secret;
}

TEST_F(OAuthServiceTest, ConfidentialXClientUsesBasicAuthOnTheRegisteredCallback) {
  FakeOAuth::Client c;
  c.id = "x-client-id";
  c.secret = "x-client-secret";
  c.auth = FakeOAuth::ClientAuth::basic;
  c.required_scopes = {"tweet.read", "tweet.write", "users.read", "offline.access", "media.write"};
  c.redirect_path = "/callback";
  c.redirect_port = free_port();
  FakeOAuth fake(c);
  am::oauth_request r;
  r.label = "X account 'news'";
  r.authorize_url = fake.authorize_url();
  r.token_url = fake.token_url();
  r.client_id = c.id;
  r.client_secret = c.secret;
  r.client_auth = AM_OAUTH_CLIENT_SECRET_BASIC;
  r.scopes = c.required_scopes;
  r.redirect_path = "/callback";
  r.port = *c.redirect_port;
  r.browser = AM_OAUTH_BROWSER_NEVER;
  auto s = start(std::move(r));
  auto [url, redirect] = get(s.url);
  EXPECT_EQ(redirect, "http://127.0.0.1:" + std::to_string(*c.redirect_port) + "/callback");
  auto visit = browser_visit(url);
  EXPECT_EQ(visit.page.status, 200u) << visit.page.body;
  am::oauth_result res = get(s.result);
  ASSERT_EQ(res.status, AM_OK) << res.error;
  EXPECT_TRUE(fake.failures().empty()) << fake.failures()[0];
  auto tokens = fake.server().requests("/token");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].header("authorization").value_or("").rfind("Basic ", 0), 0u);
  EXPECT_EQ(tokens[0].body.find("client_secret"), std::string::npos);
}

TEST_F(OAuthServiceTest, PublicClientSendsItsIdOnly) {
  FakeOAuth::Client c;
  c.id = "public-client";
  c.auth = FakeOAuth::ClientAuth::none;
  FakeOAuth fake(c);
  am::oauth_request r;
  r.authorize_url = fake.authorize_url();
  r.token_url = fake.token_url();
  r.client_id = c.id;
  r.client_auth = AM_OAUTH_CLIENT_SECRET_BASIC;  // no secret: Basic does not apply
  r.browser = AM_OAUTH_BROWSER_NEVER;
  auto s = start(std::move(r));
  auto visit = browser_visit(get(s.url).first);
  EXPECT_EQ(visit.page.status, 200u);
  am::oauth_result res = get(s.result);
  EXPECT_EQ(res.status, AM_OK) << res.error;
  EXPECT_TRUE(fake.failures().empty()) << fake.failures()[0];
}

TEST_F(OAuthServiceTest, WrongStateIsRefusedAndTheRealAnswerStillCounts) {
  FakeOAuth fake(google_client());
  auto s = start(google_request(fake));
  auto [url, redirect] = get(s.url);
  auto consent = browser_get(url);
  ASSERT_EQ(consent.status, 302u);
  const std::string forged = with_param(consent.location, "state", "forged-state-value");
  ASSERT_NE(forged, consent.location);
  auto refused = browser_get(forged);
  EXPECT_EQ(refused.status, 400u);
  EXPECT_NE(refused.body.find("state does not match"), std::string::npos) << refused.body;
  EXPECT_TRUE(fake.server().requests("/token").empty()) << "a forged code must never be exchanged";
  EXPECT_NE(printed().find("state does not match"), std::string::npos);
  // No state at all is refused the same way.
  EXPECT_EQ(browser_get(redirect + "/?code=abc").status, 400u);
  EXPECT_EQ(s.result.wait_for(0s), std::future_status::timeout) << "still waiting";

  auto real = browser_get(consent.location);
  EXPECT_EQ(real.status, 200u) << real.body;
  EXPECT_EQ(get(s.result).status, AM_OK);
  EXPECT_EQ(fake.server().requests("/token").size(), 1u);
}

TEST_F(OAuthServiceTest, AccessDeniedEndsWithAClearMessage) {
  FakeOAuth fake(google_client());
  fake.deny_consent(true);
  auto s = start(google_request(fake));
  auto visit = browser_visit(get(s.url).first);
  EXPECT_EQ(visit.page.status, 200u);
  EXPECT_NE(visit.page.body.find("not authorised (access_denied)"), std::string::npos)
      << visit.page.body;
  am::oauth_result r = get(s.result);
  EXPECT_EQ(r.status, AM_PERMISSION_DENIED);
  EXPECT_NE(
      r.error.find("YouTube account 'chef': access was refused in the browser (access_denied)"),
      std::string::npos)
      << r.error;
  EXPECT_TRUE(r.token_json.empty());
  EXPECT_TRUE(fake.server().requests("/token").empty());
}

TEST_F(OAuthServiceTest, InvalidGrantAtTheTokenEndpoint) {
  FakeOAuth fake(google_client());
  fake.fail_next_token("invalid_grant", "Bad Request");
  auto s = start(google_request(fake));
  auto visit = browser_visit(get(s.url).first);
  EXPECT_EQ(visit.page.status, 502u);
  EXPECT_NE(visit.page.body.find("Authorisation failed"), std::string::npos);
  am::oauth_result r = get(s.result);
  EXPECT_EQ(r.status, AM_UNAUTHENTICATED);
  EXPECT_NE(r.error.find("refused the authorisation code (invalid_grant: Bad Request); run the "
                         "command again"),
            std::string::npos)
      << r.error;
}

TEST_F(OAuthServiceTest, WrongClientSecretIsInvalidClient) {
  FakeOAuth fake(google_client());
  auto req = google_request(fake);
  req.client_secret = "not-the-secret";
  auto s = start(std::move(req));
  browser_visit(get(s.url).first);
  am::oauth_result r = get(s.result);
  EXPECT_EQ(r.status, AM_UNAUTHENTICATED);
  EXPECT_NE(r.error.find("invalid_client"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("not-the-secret"), std::string::npos);
}

TEST_F(OAuthServiceTest, TimesOutAndClosesThePort) {
  FakeOAuth fake(google_client());
  auto req = google_request(fake);
  req.timeout_ms = 300;
  auto s = start(std::move(req));
  auto redirect = get(s.url).second;
  am::oauth_result r = get(s.result);
  EXPECT_EQ(r.status, AM_TIMEOUT);
  EXPECT_NE(r.error.find("no answer from the browser within 0.3 s"), std::string::npos) << r.error;
  EXPECT_EQ(browser_get(redirect + "/").status, 0u);
}

TEST_F(OAuthServiceTest, OtherPathsGet404WhileWaiting) {
  FakeOAuth fake(google_client());
  auto s = start(google_request(fake));
  auto [url, redirect] = get(s.url);
  EXPECT_EQ(browser_get(redirect + "/favicon.ico").status, 404u);
  EXPECT_EQ(browser_visit(url).page.status, 200u);
  EXPECT_EQ(get(s.result).status, AM_OK);
}

// The raw C table: completion on the job's strand, after authorize returned, exactly once.
struct CRun {
  std::atomic<bool> returned{false};
  std::atomic<int> calls{0};
  bool returned_first = false;
  bool on_strand = false;
  am_status status = AM_INTERNAL;
  std::string error;
  std::promise<void> url, done;
  am_job *job = nullptr;
  static void on_url(void *u, am_str, am_str) { static_cast<CRun *>(u)->url.set_value(); }
  static void on_done(void *u, const am_oauth_result *r) {
    auto *self = static_cast<CRun *>(u);
    self->returned_first = self->returned.load();
    self->on_strand = self->job->executor().running_in_this_thread();
    self->status = r->status;
    self->error.assign(r->error.data, r->error.len);
    if (self->calls.fetch_add(1) == 0) self->done.set_value();
  }
};

am_oauth_request c_request(const std::string &auth, const std::string &token,
                           const std::string &id) {
  am_oauth_request r{};
  r.struct_size = sizeof r;
  r.authorize_url = {auth.data(), auth.size()};
  r.token_url = {token.data(), token.size()};
  r.client_id = {id.data(), id.size()};
  r.browser = AM_OAUTH_BROWSER_NEVER;
  r.on_url = &CRun::on_url;
  return r;
}

TEST_F(OAuthServiceTest, CancelCompletesOnceWithCancelled) {
  FakeOAuth fake(google_client());
  std::string auth = fake.authorize_url(), token = fake.token_url(), id = "cid";
  am_oauth_request r = c_request(auth, token, id);
  CRun run;
  run.job = job_.get();
  am_op_id op = table()->authorize(table(), job_.get(), &r, &CRun::on_done, &run);
  run.returned = true;
  ASSERT_NE(op, 0u);
  ASSERT_EQ(run.url.get_future().wait_for(10s), std::future_status::ready);
  table()->cancel(table(), job_.get(), op);
  ASSERT_EQ(run.done.get_future().wait_for(10s), std::future_status::ready);
  table()->cancel(table(), job_.get(), op);  // finished: a no-op
  job_->wait_idle();
  EXPECT_EQ(run.status, AM_CANCELLED);
  EXPECT_TRUE(run.on_strand);
  EXPECT_EQ(run.calls.load(), 1);
}

TEST_F(OAuthServiceTest, JobCancellationReachesTheWait) {
  FakeOAuth fake(google_client());
  std::string auth = fake.authorize_url(), token = fake.token_url(), id = "cid";
  am_oauth_request r = c_request(auth, token, id);
  CRun run;
  run.job = job_.get();
  table()->authorize(table(), job_.get(), &r, &CRun::on_done, &run);
  ASSERT_EQ(run.url.get_future().wait_for(10s), std::future_status::ready);
  job_->cancel();
  ASSERT_EQ(run.done.get_future().wait_for(10s), std::future_status::ready);
  job_->wait_idle();
  EXPECT_EQ(run.status, AM_CANCELLED);
  EXPECT_EQ(run.calls.load(), 1);
}

TEST_F(OAuthServiceTest, BadRequestsFailThroughTheCallbackNamingTheField) {
  struct Case {
    std::string auth, token, id, expect;
  } cases[] = {{"ftp://example.com/auth", "http://127.0.0.1:1/token", "cid", "authorize_url"},
               {"http://127.0.0.1:1/auth", "not a url", "cid", "token_url"},
               {"http://127.0.0.1:1/auth", "http://127.0.0.1:1/token", "", "client_id is empty"}};
  for (auto &c : cases) {
    am_oauth_request r = c_request(c.auth, c.token, c.id);
    CRun run;
    run.job = job_.get();
    // Called on the job's strand: a completion posted there cannot overtake the flag.
    job_->post([&] {
      table()->authorize(table(), job_.get(), &r, &CRun::on_done, &run);
      run.returned = true;
    });
    ASSERT_EQ(run.done.get_future().wait_for(10s), std::future_status::ready);
    job_->wait_idle();
    EXPECT_TRUE(run.returned_first) << "never before authorize returns";
    EXPECT_EQ(run.status, AM_INVALID_ARGUMENT);
    EXPECT_NE(run.error.find(c.expect), std::string::npos) << run.error;
  }
  // A reserved parameter may not be overridden.
  FakeOAuth fake(google_client());
  auto req = google_request(fake);
  req.params.emplace_back("redirect_uri", "https://evil.example/");
  auto s = start(std::move(req));
  am::oauth_result r = get(s.result);
  EXPECT_EQ(r.status, AM_INVALID_ARGUMENT);
  EXPECT_NE(r.error.find("'redirect_uri' is set by the service itself"), std::string::npos)
      << r.error;
}

TEST_F(OAuthServiceTest, BusyPortIsUnavailableNamingIt) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor busy(io, {boost::asio::ip::address_v4::loopback(), 0});
  const uint16_t port = busy.local_endpoint().port();
  FakeOAuth fake(google_client());
  auto req = google_request(fake);
  req.port = port;
  auto s = start(std::move(req));
  am::oauth_result r = get(s.result);
  EXPECT_EQ(r.status, AM_UNAVAILABLE);
  EXPECT_NE(r.error.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << r.error;
}

// The fake is not a fake that accepts anything: codes are single use and the verifier, the
// redirect URI and the client really are checked.
TEST(FakeOAuthServer, RefusesReusedCodesWrongVerifiersAndRedirects) {
  FakeOAuth fake(google_client());
  const std::string verifier = make_code_verifier();
  const std::string redirect = "http://127.0.0.1:9";
  const std::string auth = fake.authorize_url() +
                           "?response_type=code&client_id=1234-test.apps.googleusercontent.com"
                           "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9&scope=" +
                           "https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fyoutube.upload&state=s1"
                           "&code_challenge=" +
                           s256_challenge(verifier) +
                           "&code_challenge_method=S256&access_type=offline";
  auto consent = browser_get(auth);
  ASSERT_EQ(consent.status, 302u) << consent.body;
  auto code = fake.issued().at(0).code;
  auto form = [&](const std::string &v, const std::string &r) {
    return "grant_type=authorization_code&code=" + automuse::oauth::percent_encode(code) +
           "&redirect_uri=" + automuse::oauth::percent_encode(r) + "&code_verifier=" + v +
           "&client_id=1234-test.apps.googleusercontent.com&client_secret=GOCSPX-test-secret-42";
  };
  auto wrong = http_post_form(fake.token_url(), form(make_code_verifier(), redirect));
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_NE(wrong.body.find("code_verifier does not match"), std::string::npos) << wrong.body;
  // The failed attempt used the code up.
  auto again = http_post_form(fake.token_url(), form(verifier, redirect));
  EXPECT_NE(again.body.find("already redeemed"), std::string::npos) << again.body;

  // A fresh code with the right verifier but another redirect URI.
  ASSERT_EQ(browser_get(auth).status, 302u);
  code = fake.issued().at(1).code;
  auto other = http_post_form(fake.token_url(), form(verifier, "http://127.0.0.1:10"));
  EXPECT_NE(other.body.find("redirect_uri does not match"), std::string::npos) << other.body;

  // And a bad challenge method never gets a code.
  auto plain = browser_get(with_param(auth, "code_challenge_method", "plain"));
  EXPECT_EQ(plain.status, 400u);
  EXPECT_EQ(fake.issued().size(), 2u);
}

}  // namespace
}  // namespace automuse::oauth

namespace automuse::oauth {
namespace {

TEST(AuthOptions, TheSdkHelperReadsAndChecksThem) {
  am::oauth_request r;
  r.port = 8765;  // from the configuration
  am::apply_auth_options(r, "", "", "");
  EXPECT_EQ(r.browser, AM_OAUTH_BROWSER_AUTO);
  EXPECT_EQ(r.port, 8765u);
  EXPECT_EQ(r.timeout_ms, 0u);
  am::apply_auth_options(r, "true", "9000", "20");
  EXPECT_EQ(r.browser, AM_OAUTH_BROWSER_NEVER);
  EXPECT_EQ(r.port, 9000u);
  EXPECT_EQ(r.timeout_ms, 20000u);
  try {
    am::apply_auth_options(r, "", "70000", "");
    ADD_FAILURE() << "a port above 65535 was accepted";
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("--port: '70000' is not a number from 0 to 65535"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(am::apply_auth_options(r, "", "", "5s"), am::error);
  EXPECT_THROW(am::apply_auth_options(r, "", "", "0"), am::error);
}

}  // namespace
}  // namespace automuse::oauth
