// TLS verification against a certificate made for this run, and the proxy setting through a
// loopback forward proxy (plain HTTP in absolute form, HTTPS through CONNECT).
#include <filesystem>

#include "client_fixture.hpp"
#include "support/loopback_proxy.hpp"
#include "support/temp_folder.hpp"
#include "support/test_certificate.hpp"

namespace automuse::http::test {
namespace {

using automuse::testing::LoopbackProxy;
using automuse::testing::TestCertificate;

class TlsProxyTest : public ClientFixture {
 protected:
  static void SetUpTestSuite() {
    cert_ = new TestCertificate(TestCertificate::generate());
    ca_folder_ = new automuse::testing::TempFolder();
    ca_file_ = new std::filesystem::path(*ca_folder_ / "ca.pem");
    cert_->write_ca_file(*ca_file_);
  }
  static void TearDownTestSuite() {
    delete cert_;
    delete ca_file_;
    delete ca_folder_;
  }
  static TestCertificate *cert_;
  static std::filesystem::path *ca_file_;
  static automuse::testing::TempFolder *ca_folder_;
};
TestCertificate *TlsProxyTest::cert_ = nullptr;
std::filesystem::path *TlsProxyTest::ca_file_ = nullptr;
automuse::testing::TempFolder *TlsProxyTest::ca_folder_ = nullptr;

TEST_F(TlsProxyTest, UntrustedCertificateIsRefused) {
  FakeServer server({.tls = true, .certificate = cert_});
  server.route("GET", "/secure", Reply::text("secret"));
  Request req = get(server.url("/secure"));
  Response r = send(req);
  EXPECT_EQ(r.status, AM_ERROR);
  EXPECT_NE(r.error.find("certificate"), std::string::npos) << r.error;
  EXPECT_EQ(r.attempts, 1);  // a verification failure is not retried
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(server.request_count(), 0u);  // nothing was sent over the untrusted connection
}

TEST_F(TlsProxyTest, TrustedWithTheGeneratedCa) {
  ClientConfig config;
  config.ca_bundle = ca_file_->string();
  start_client(config);
  FakeServer server({.tls = true, .certificate = cert_});
  server.route("POST", "/secure",
               [](const ReceivedRequest &req) { return Reply::text("got " + req.body); });
  Request req = get(server.url("/secure"));
  req.method = "POST";
  req.body = "payload";
  Response r = send(req);
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "got payload");
  // The name must match too: "localhost" is in the certificate, another name is not.
  req.url = "https://localhost:" + std::to_string(server.port()) + "/secure";
  EXPECT_EQ(send(req).status, AM_OK);
}

TEST_F(TlsProxyTest, WrongCaIsRefused) {
  TestCertificate other = TestCertificate::generate();
  automuse::testing::TempFolder tmp;
  auto other_ca = tmp / "other-ca.pem";
  other.write_ca_file(other_ca);
  ClientConfig config;
  config.ca_bundle = other_ca.string();
  start_client(config);
  FakeServer server({.tls = true, .certificate = cert_});
  server.route("GET", "/secure", Reply::text("secret"));
  Response r = send(get(server.url("/secure")));
  EXPECT_EQ(r.status, AM_ERROR) << r.error;
}

TEST_F(TlsProxyTest, PlainHttpThroughProxy) {
  LoopbackProxy proxy;
  ClientConfig config;
  config.proxy = proxy.url();
  start_client(config);
  FakeServer server;
  server.route("GET", "/via",
               [](const ReceivedRequest &req) { return Reply::text("target " + req.target); });
  Response r = send(get(server.url("/via?q=1")));
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "target /via?q=1");
  auto seen = proxy.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "GET " + server.url("/via?q=1"));
}

TEST_F(TlsProxyTest, HttpsThroughProxyTunnel) {
  LoopbackProxy proxy;
  ClientConfig config;
  config.proxy = proxy.url();
  config.ca_bundle = ca_file_->string();
  start_client(config);
  FakeServer server({.tls = true, .certificate = cert_});
  server.route("GET", "/tunnel", Reply::text("through the tunnel"));
  Response r = send(get(server.url("/tunnel")));
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "through the tunnel");
  auto seen = proxy.seen();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0], "CONNECT 127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(TlsProxyTest, ProxyRefusingTheTargetIsReported) {
  LoopbackProxy proxy;
  ClientConfig config;
  config.proxy = proxy.url();
  start_client(config);
  Response r = send(get("http://example.invalid/"));
  EXPECT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.http_status, 403);  // the loopback proxy never goes to the outside world
}

}  // namespace
}  // namespace automuse::http::test
