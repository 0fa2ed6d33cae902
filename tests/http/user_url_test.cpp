// User-given URLs (Request::user_url) with the default configuration: every spelling of a
// loopback address, a reused connection and a redirect towards one are refused before any
// request reaches the fake; configured endpoints (the other tests' fakes) are not affected.
#include "client_fixture.hpp"
#include "http/address_policy.hpp"

namespace automuse::http::test {
namespace {

namespace ip = boost::asio::ip;

class UserUrlTest : public ClientFixture {
 protected:
  static Request user(std::string url) {
    Request r = get(std::move(url));
    r.user_url = true;
    r.retry.max_attempts = 1;
    return r;
  }
  static void expect_refused(const Response &r, const std::string &what) {
    EXPECT_EQ(r.status, AM_PERMISSION_DENIED) << what << ": " << r.error;
    EXPECT_NE(r.error.find("loopback"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("http.allow_private_addresses"), std::string::npos) << r.error;
  }
  FakeServer server_;
};

TEST_F(UserUrlTest, EverySpellingOfLoopbackIsRefusedBeforeConnecting) {
  server_.route("GET", "/x", Reply::text("internal"));
  const std::string port = std::to_string(server_.port());
  for (std::string host : {"127.0.0.1", "localhost", "127.1", "0x7f000001", "2130706433",
                           "[::ffff:127.0.0.1]", "[::1]"}) {
    Response r = send(user("http://" + host + ":" + port + "/x"));
    expect_refused(r, host);
  }
  EXPECT_EQ(server_.request_count(), 0u);
  EXPECT_EQ(server_.connections_accepted(), 0u);
}

TEST_F(UserUrlTest, ConfiguredEndpointsAndTheSettingStillReachLoopback) {
  server_.route("GET", "/x", Reply::text("ok"));
  EXPECT_EQ(send(get(server_.url("/x"))).body, "ok");  // not a user-given URL
  ClientConfig config;
  config.user_urls.allow_private = true;  // http.allow_private_addresses: true
  start_client(config);
  Response r = send(user(server_.url("/x")));
  ASSERT_EQ(r.status, AM_OK) << r.error;
  EXPECT_EQ(r.body, "ok");
}

// A connection already open to the fake (from a configured endpoint's request) is checked too.
TEST_F(UserUrlTest, AReusedConnectionIsCheckedToo) {
  server_.route("GET", "/x", Reply::text("ok"));
  ASSERT_EQ(send(get(server_.url("/x"))).body, "ok");
  expect_refused(send(user(server_.url("/x"))), "reused");
  EXPECT_EQ(server_.request_count(), 1u);
}

// 127.0.0.2 stands in for an allowed public host: the hop to 127.0.0.1 is refused.
TEST_F(UserUrlTest, ARedirectFromAnAllowedHostToLoopbackIsRefused) {
  ClientConfig config;
  config.user_urls.also_allowed = {ip::make_address("127.0.0.2")};
  start_client(config);
  FakeServer allowed({.address = "127.0.0.2"});
  allowed.route("GET", "/go", Reply::error(302).with_header("Location", server_.url("/admin")));
  server_.route("GET", "/admin", Reply::text("internal"));
  Response r = send(user(allowed.url("/go")));
  expect_refused(r, "redirect");
  EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos) << r.error;
  EXPECT_EQ(allowed.requests("/go").size(), 1u);
  EXPECT_EQ(server_.request_count(), 0u);
  EXPECT_EQ(server_.connections_accepted(), 0u);
}

TEST(AddressPolicy, KindsOfNonPublicAddresses) {
  struct Case {
    const char *ip, *kind;
  } cases[] = {{"127.0.0.1", "loopback"},
               {"127.255.0.9", "loopback"},
               {"10.1.2.3", "private"},
               {"172.16.0.1", "private"},
               {"172.31.255.255", "private"},
               {"192.168.1.1", "private"},
               {"169.254.169.254", "link-local"},
               {"100.64.0.1", "carrier-grade NAT"},
               {"0.0.0.0", "unspecified"},
               {"224.0.0.1", "multicast"},
               {"255.255.255.255", "reserved"},
               {"::1", "loopback"},
               {"::", "unspecified"},
               {"fe80::1", "link-local"},
               {"fd12:3456::1", "unique-local"},
               {"fc00::1", "unique-local"},
               {"::ffff:127.0.0.1", "loopback"},
               {"::ffff:10.0.0.1", "private"},
               {"64:ff9b::7f00:1", "loopback"},
               {"ff02::1", "multicast"}};
  for (const auto &c : cases) EXPECT_EQ(non_public_kind(ip::make_address(c.ip)), c.kind) << c.ip;
  for (const char *pub : {"8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1",
                          "2001:4860:4860::8888", "::ffff:8.8.8.8"})
    EXPECT_EQ(non_public_kind(ip::make_address(pub)), std::nullopt) << pub;
}

TEST(AddressPolicy, RefusalNamesTheAddressTheUrlAndTheSetting) {
  AddressPolicy policy;
  auto why = policy.refusal("10.0.0.7", "http://shop.example/a?token=SEKRIT");
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("10.0.0.7 (a private address)"), std::string::npos) << *why;
  EXPECT_NE(why->find("http://shop.example/a"), std::string::npos) << *why;
  EXPECT_EQ(why->find("SEKRIT"), std::string::npos) << *why;
  EXPECT_FALSE(policy.refusal("93.184.216.34", "http://example.com/"));
  policy.allow_private = true;
  EXPECT_FALSE(policy.refusal("10.0.0.7", "http://x/"));
}

}  // namespace
}  // namespace automuse::http::test
