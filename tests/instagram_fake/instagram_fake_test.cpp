// tests/instagram_fake/instagram_fake_test.cpp — the fake Instagram keeps the protocol itself
// (docs/protocols/instagram.md), so that a client tested against it proves something: Instagram
// Login's code exchange and long-lived tokens with their ages, the resumable upload with its
// offsets, a video_url fetched from a loopback file server, the container status machine,
// one media per container, the publishing limit, a lost media_publish reply that a container
// read resolves, and bad requests refused in Graph's own envelope. Every request goes over
// real HTTP on loopback through a small Beast client written here.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "support/digest.hpp"
#include "support/encoding.hpp"
#include "support/instagram/fake_instagram.hpp"

namespace automuse::testing {
namespace {

namespace json = boost::json;
namespace beast = boost::beast;
namespace http = beast::http;
using GraphError = FakeInstagram::GraphError;

const char *kAppId = "990011223344";
const char *kAppSecret = "app-secret-for-tests";
const char *kUserId = "17841400000000001";
const char *kToken = "IGAAtest-long-lived-token-0001";
const char *kFacebookToken = "EAAtest-facebook-login-token-0001";
const char *kRedirect = "http://127.0.0.1:9/callback";

struct Answer {
  unsigned status = 0;  // 0: the connection closed without an answer
  std::string body;
  std::string location;

  json::value json() const { return json::parse(body); }
  // The Graph envelope's code/subcode ("" when it is not one).
  std::string error() const {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object() || !v.as_object().contains("error")) return "";
    auto &e = v.at("error").as_object();
    std::string out = std::to_string(e.at("code").as_int64()) + "/";
    out += e.contains("error_subcode") ? std::to_string(e.at("error_subcode").as_int64()) : "0";
    return out;
  }
};

Answer send(http::verb method, const std::string &url, const std::string &body = "",
            const FieldList &headers = {}) {
  Answer answer;
  auto u = boost::urls::parse_absolute_uri(url);
  EXPECT_TRUE(u) << url;
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(20));
  stream.connect(resolver.resolve(std::string(u->host()), std::string(u->port())));
  std::string target(u->encoded_path());
  if (u->has_query()) target += "?" + std::string(u->encoded_query());
  http::request<http::string_body> req(method, target, 11);
  req.set(http::field::host, std::string(u->host()) + ":" + std::string(u->port()));
  for (auto &[k, v] : headers) req.set(k, v);
  if (method == http::verb::post) {
    req.body() = body;
    req.prepare_payload();
  }
  beast::error_code ec;
  http::write(stream, req, ec);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  if (ec) return answer;
  answer.status = res.result_int();
  answer.body = res.body();
  if (auto it = res.find(http::field::location); it != res.end())
    answer.location = std::string(it->value());
  return answer;
}

std::string form(const FieldList &fields) {
  std::string out;
  for (auto &[k, v] : fields) out += (out.empty() ? "" : "&") + k + "=" + percent_encode(v);
  return out;
}

using automuse::testing::sha256_hex;

// Bytes standing for a Short (the fake does not look inside them).
std::string video_bytes(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = Reply::pattern_byte(i);
  return out;
}

class InstagramFake : public ::testing::Test {
 protected:
  InstagramFake() : fake_({kAppId, kAppSecret, {kRedirect}}) {
    fake_.add_user({kUserId, "automuse.shorts", FakeInstagram::Login::instagram, kToken});
    fake_.add_user(
        {"17841400000000002", "other.account", FakeInstagram::Login::facebook, kFacebookToken});
  }

  std::string graph(const std::string &path) const { return fake_.graph_url() + "/v25.0" + path; }
  Answer get(const std::string &path, const std::string &query, const std::string &token = kToken) {
    return send(http::verb::get, graph(path) + "?" + query + "&access_token=" + token);
  }
  Answer post(const std::string &path, const FieldList &fields, const std::string &token = kToken) {
    return send(http::verb::post, graph(path), form(fields),
                {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Authorization", "Bearer " + token}});
  }

  // A resumable container: {id, uri}.
  std::pair<std::string, std::string> resumable_container(const std::string &token = kToken,
                                                          const std::string &user = kUserId) {
    Answer a = post("/" + user + "/media",
                    {{"media_type", "REELS"},
                     {"upload_type", "resumable"},
                     {"caption", "A Short #automuse"},
                     {"share_to_feed", "true"}},
                    token);
    EXPECT_EQ(a.status, 200u) << a.body;
    return {std::string(a.json().at("id").as_string()),
            std::string(a.json().at("uri").as_string())};
  }
  Answer upload(const std::string &uri, const std::string &bytes, size_t offset, size_t total,
                const std::string &auth = std::string("OAuth ") + kToken) {
    return send(http::verb::post, uri, bytes,
                {{"Authorization", auth},
                 {"offset", std::to_string(offset)},
                 {"file_size", std::to_string(total)}});
  }
  std::string status_of(const std::string &container, const std::string &token = kToken) {
    Answer a = get("/" + container, "fields=status_code,status", token);
    EXPECT_EQ(a.status, 200u) << a.body;
    return a.status == 200 ? std::string(a.json().at("status_code").as_string()) : a.body;
  }
  // Polls until the container leaves IN_PROGRESS (a fetch runs on the fake's own thread).
  std::string settle(const std::string &container, const std::string &token = kToken) {
    std::string status;
    for (int i = 0; i < 2000; ++i) {
      status = status_of(container, token);
      if (status != "IN_PROGRESS") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return status;
  }
  Answer publish(const std::string &container, const std::string &token = kToken,
                 const std::string &user = kUserId) {
    return post("/" + user + "/media_publish", {{"creation_id", container}}, token);
  }
  // A container whose bytes are in and processed, ready to publish, made with a Facebook Login
  // token (rupload's documented case).
  std::string finished_container(const std::string &bytes) {
    fake_.resumable_with_instagram_login(true);
    auto [id, uri] = resumable_container();
    EXPECT_EQ(upload(uri, bytes, 0, bytes.size()).status, 200u);
    EXPECT_EQ(settle(id), "FINISHED");
    return id;
  }

  FakeInstagram fake_;
};

// --- Instagram Login ------------------------------------------------------------------------

std::string multipart(const FieldList &fields, const std::string &boundary) {
  std::string out;
  for (auto &[k, v] : fields)
    out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v +
           "\r\n";
  return out + "--" + boundary + "--\r\n";
}

// The code in a callback Location "...?code=C&state=S#_", without the "#_".
std::string code_in(const std::string &location) {
  auto at = location.find("code=");
  if (at == std::string::npos) return "";
  auto end = location.find_first_of("&#", at);
  return location.substr(at + 5, end - at - 5);
}

TEST_F(InstagramFake, LoginExchangesACodeOnceThenLongLivedTokensAgeAndRefresh) {
  Answer consent = send(http::verb::get, fake_.authorize_url() + "?client_id=" + kAppId +
                                             "&redirect_uri=" + percent_encode(kRedirect) +
                                             "&response_type=code&scope=" +
                                             percent_encode("instagram_business_basic,"
                                                            "instagram_business_content_publish") +
                                             "&state=s1");
  ASSERT_EQ(consent.status, 302u) << consent.body;
  EXPECT_EQ(consent.location.rfind(std::string(kRedirect) + "?code=", 0), 0u) << consent.location;
  EXPECT_NE(consent.location.find("&state=s1#_"), std::string::npos) << consent.location;
  const std::string code = code_in(consent.location);

  const FieldList fields = {{"client_id", kAppId},
                            {"client_secret", kAppSecret},
                            {"grant_type", "authorization_code"},
                            {"redirect_uri", kRedirect},
                            {"code", code}};
  // Not stripping "#_" is a different code.
  FieldList with_fragment = fields;
  with_fragment.back().second += "#_";
  Answer wrong = send(http::verb::post, fake_.token_url(), form(with_fragment),
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_EQ(wrong.json().at("error_message"), "Matching code was not found or was already used");

  Answer exchanged = send(http::verb::post, fake_.token_url(), multipart(fields, "b0undary"),
                          {{"Content-Type", "multipart/form-data; boundary=b0undary"}});
  ASSERT_EQ(exchanged.status, 200u) << exchanged.body;
  const json::value answer = exchanged.json();
  const auto &grant = answer.at("data").as_array().at(0).as_object();
  EXPECT_EQ(grant.at("user_id"), kUserId);
  EXPECT_EQ(grant.at("permissions"), "instagram_business_basic,instagram_business_content_publish");
  const std::string short_token(grant.at("access_token").as_string());
  EXPECT_EQ(fake_.token(short_token)->kind, FakeInstagram::TokenKind::short_lived);

  Answer again = send(http::verb::post, fake_.token_url(), form(fields),
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(again.status, 400u) << "a code is usable once";
  EXPECT_EQ(again.json().at("error_type"), "OAuthException");

  const std::string exchange =
      fake_.graph_url() + "/access_token?grant_type=ig_exchange_token&client_secret=" + kAppSecret +
      "&access_token=" + short_token;
  EXPECT_EQ(send(http::verb::post, exchange).error(), "100/0") << "the exchange is a GET";
  Answer long_lived = send(http::verb::get, exchange);
  ASSERT_EQ(long_lived.status, 200u) << long_lived.body;
  EXPECT_EQ(long_lived.json().at("token_type"), "bearer");
  EXPECT_EQ(long_lived.json().at("expires_in"), 5183944);
  const std::string token(long_lived.json().at("access_token").as_string());

  const std::string refresh =
      fake_.graph_url() + "/refresh_access_token?grant_type=ig_refresh_token&access_token=";
  EXPECT_EQ(send(http::verb::get, refresh + token).status, 400u) << "younger than 24 h";
  EXPECT_EQ(send(http::verb::get, refresh + short_token).status, 400u) << "not long-lived";
  fake_.advance_clock(25 * 3600);
  EXPECT_EQ(get("/me", "fields=user_id,username", short_token).error(), "190/463")
      << "short-lived tokens last an hour";
  Answer refreshed = send(http::verb::get, refresh + token);
  ASSERT_EQ(refreshed.status, 200u) << refreshed.body;
  const std::string fresh(refreshed.json().at("access_token").as_string());
  EXPECT_NE(fresh, token);
  EXPECT_EQ(get("/me", "fields=user_id,username", fresh).json().at("username"), "automuse.shorts");

  fake_.advance_clock(61 * 86400);
  Answer expired = send(http::verb::get, refresh + fresh);
  EXPECT_EQ(expired.error(), "190/463") << "not refreshed within 60 days: gone for good";
  EXPECT_EQ(expired.json().at("error").at("type"), "OAuthException");
}

TEST_F(InstagramFake, LoginReadingsUnwrappedAnswerPkceAndRefusedScopes) {
  const std::string base = fake_.authorize_url() + "?client_id=" + kAppId +
                           "&redirect_uri=" + percent_encode(kRedirect) + "&response_type=code";
  EXPECT_EQ(send(http::verb::get, base + "&scope=business_basic").status, 400u)
      << "the old scope names are gone";
  EXPECT_EQ(send(http::verb::get, base + "&scope=instagram_business_basic%20"
                                         "instagram_business_content_publish")
                .status,
            400u)
      << "scopes are separated by commas";
  EXPECT_EQ(send(http::verb::get, fake_.authorize_url() + "?client_id=" + kAppId +
                                      "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fother"
                                      "&response_type=code&scope=instagram_business_basic")
                .status,
            400u)
      << "an unregistered redirect_uri";
  EXPECT_EQ(send(http::verb::get, base + "&scope=instagram_business_content_publish").status, 400u)
      << "instagram_business_basic is always asked for";

  fake_.require_pkce(true);
  fake_.wrap_code_exchange(false);
  EXPECT_EQ(send(http::verb::get, base + "&scope=instagram_business_basic").status, 400u);
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 B
  Answer consent = send(http::verb::get, base +
                                             "&scope=instagram_business_basic&code_challenge="
                                             "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                                             "&code_challenge_method=S256");
  ASSERT_EQ(consent.status, 302u) << consent.body;
  FieldList fields = {{"client_id", kAppId},
                      {"client_secret", kAppSecret},
                      {"grant_type", "authorization_code"},
                      {"redirect_uri", kRedirect},
                      {"code", code_in(consent.location)},
                      {"code_verifier", verifier + "x"}};
  const FieldList type = {{"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(send(http::verb::post, fake_.token_url(), form(fields), type).status, 400u);
  fields.back().second = verifier;
  Answer exchanged = send(http::verb::post, fake_.token_url(), form(fields), type);
  ASSERT_EQ(exchanged.status, 200u) << exchanged.body;
  EXPECT_FALSE(exchanged.json().as_object().contains("data")) << "the unwrapped reading";
  EXPECT_EQ(exchanged.json().at("user_id"), kUserId);

  fake_.deny_consent(true);
  Answer denied = send(http::verb::get, base +
                                            "&scope=instagram_business_basic&code_challenge="
                                            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                                            "&code_challenge_method=S256&state=s2");
  EXPECT_NE(denied.location.find("error=access_denied&error_reason=user_denied"), std::string::npos)
      << denied.location;
}

// --- Resumable upload -----------------------------------------------------------------------

TEST_F(InstagramFake, ResumableUploadInTwoPartsWithAnOffsetPublishesThoseBytes) {
  fake_.accept_nonzero_offset(true);
  const std::string bytes = video_bytes(300000);
  auto [id, uri] = resumable_container(kFacebookToken, "17841400000000002");
  EXPECT_EQ(uri, fake_.rupload_url() + "/ig-api-upload/v25.0/" + id);
  EXPECT_EQ(
      upload(uri, bytes.substr(0, 100000), 0, bytes.size(), std::string("Bearer ") + kFacebookToken)
          .status,
      400u)
      << "rupload's scheme is OAuth";
  const std::string auth = std::string("OAuth ") + kFacebookToken;
  Answer first = upload(uri, bytes.substr(0, 100000), 0, bytes.size(), auth);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.json().at("success"), true);
  EXPECT_EQ(status_of(id, kFacebookToken), "IN_PROGRESS") << "bytes are still missing";
  EXPECT_EQ(upload(uri, bytes.substr(100000), 150000, bytes.size(), auth).status, 400u)
      << "an offset past what the server holds";
  Answer second = upload(uri, bytes.substr(100000), 100000, bytes.size(), auth);
  ASSERT_EQ(second.status, 200u) << second.body;
  EXPECT_EQ(status_of(id, kFacebookToken), "IN_PROGRESS") << "one poll of processing";
  EXPECT_EQ(status_of(id, kFacebookToken), "FINISHED");
  Answer published = publish(id, kFacebookToken, "17841400000000002");
  ASSERT_EQ(published.status, 200u) << published.body;

  auto reels = fake_.reels();
  ASSERT_EQ(reels.size(), 1u);
  EXPECT_EQ(reels[0].media_id, published.json().at("id").as_string());
  EXPECT_EQ(reels[0].size, bytes.size());
  EXPECT_EQ(reels[0].sha256, sha256_hex(bytes));
  EXPECT_EQ(reels[0].caption, "A Short #automuse");
}

TEST_F(InstagramFake, ByDefaultRuploadRefusesInstagramLoginTokensAndNonZeroOffsets) {
  const std::string bytes = video_bytes(200000);
  auto [id, uri] = resumable_container();
  Answer refused = upload(uri, bytes, 0, bytes.size());
  EXPECT_EQ(refused.status, 400u);
  EXPECT_EQ(refused.json().at("debug_info").at("type"), "ProcessingFailedError");
  EXPECT_NE(refused.body.find("unauthorized user request"), std::string::npos) << refused.body;

  fake_.resumable_with_instagram_login(true);
  fake_.drop_next_upload(70000);
  EXPECT_EQ(upload(uri, bytes, 0, bytes.size()).status, 0u) << "the connection drops";
  ASSERT_EQ(fake_.containers().at(0).bytes.size(), 70000u) << "the fake kept what arrived";
  EXPECT_EQ(upload(uri, bytes.substr(70000), 70000, bytes.size()).status, 400u)
      << "the default reading: no resuming at a non-zero offset";
  ASSERT_EQ(upload(uri, bytes, 0, bytes.size()).status, 200u) << "sending again from 0 works";
  EXPECT_EQ(settle(id), "FINISHED");
  ASSERT_EQ(publish(id).status, 200u);
  EXPECT_EQ(fake_.reels().at(0).sha256, sha256_hex(bytes));
}

TEST_F(InstagramFake, RuploadFaultsFileUrlAndTheDailyContainerCap) {
  fake_.resumable_with_instagram_login(true);
  const std::string bytes = video_bytes(9000);
  auto [id, uri] = resumable_container();
  fake_.fail_next_upload(503);
  Answer failed = upload(uri, bytes, 0, bytes.size());
  EXPECT_EQ(failed.status, 503u);
  EXPECT_EQ(failed.json().at("debug_info").at("retriable"), true);
  EXPECT_TRUE(fake_.containers().at(0).bytes.empty()) << "nothing kept";
  EXPECT_EQ(send(http::verb::post, uri, bytes, {{"Authorization", std::string("OAuth ") + kToken}})
                .status,
            400u)
      << "offset and file_size are required";

  FakeServer files;
  files.route("GET", "/b.mp4", Reply::text(bytes, 200, "video/mp4"));
  Answer by_url = send(http::verb::post, uri, "",
                       {{"Authorization", std::string("OAuth ") + kToken},
                        {"offset", "0"},
                        {"file_size", std::to_string(bytes.size())},
                        {"file_url", files.url("/b.mp4")}});
  ASSERT_EQ(by_url.status, 200u) << by_url.body;
  EXPECT_EQ(settle(id), "FINISHED");
  ASSERT_EQ(publish(id).status, 200u);
  EXPECT_EQ(fake_.reels().at(0).sha256, sha256_hex(bytes));

  for (int i = 1; i < 400; ++i)
    ASSERT_EQ(post("/me/media", {{"media_type", "REELS"}, {"upload_type", "resumable"}}).status,
              200u)
        << i;
  EXPECT_EQ(post("/me/media", {{"media_type", "REELS"}, {"upload_type", "resumable"}}).error(),
            "9/0")
      << "400 containers in 24 h";
  fake_.advance_clock(24 * 3600);
  EXPECT_EQ(post("/me/media", {{"media_type", "REELS"}, {"upload_type", "resumable"}}).status,
            200u);
}

// --- video_url --------------------------------------------------------------------------------

TEST_F(InstagramFake, VideoUrlIsFetchedFromALoopbackFileServer) {
  const std::string bytes = video_bytes(123457);
  FakeServer files;
  files.route("GET", "/shorts/a.mp4", Reply::text(bytes, 200, "video/mp4"));
  Answer created =
      post("/" + std::string(kUserId) + "/media", {{"media_type", "REELS"},
                                                   {"video_url", files.url("/shorts/a.mp4")},
                                                   {"caption", "fetched"},
                                                   {"share_to_feed", "false"}});
  ASSERT_EQ(created.status, 200u) << created.body;
  EXPECT_FALSE(created.json().as_object().contains("uri"));
  const std::string id(created.json().at("id").as_string());
  EXPECT_EQ(settle(id), "FINISHED");
  EXPECT_EQ(files.requests("/shorts/a.mp4").size(), 1u);
  ASSERT_EQ(publish(id).status, 200u);
  auto reels = fake_.reels();
  ASSERT_EQ(reels.size(), 1u);
  EXPECT_EQ(reels[0].sha256, sha256_hex(bytes));
  EXPECT_FALSE(reels[0].share_to_feed);

  // A URL that answers 404, and the switch for one that fails: ERROR, and publishing says why.
  Answer missing = post("/" + std::string(kUserId) + "/media",
                        {{"media_type", "REELS"}, {"video_url", files.url("/shorts/none.mp4")}});
  const std::string failed(missing.json().at("id").as_string());
  EXPECT_EQ(settle(failed), "ERROR");
  Answer why = get("/" + failed, "fields=status_code,status");
  EXPECT_NE(std::string(why.json().at("status").as_string()).find("2207052"), std::string::npos)
      << why.body;
  EXPECT_EQ(publish(failed).error(), "9004/2207052");
  fake_.fail_video_fetches(true);
  Answer switched = post("/" + std::string(kUserId) + "/media",
                         {{"media_type", "REELS"}, {"video_url", files.url("/shorts/a.mp4")}});
  EXPECT_EQ(settle(std::string(switched.json().at("id").as_string())), "ERROR");
  EXPECT_EQ(fake_.reels().size(), 1u);
}

// --- Status, publish, limit -----------------------------------------------------------------

TEST_F(InstagramFake, ContainerStatusMovesThroughItsStates) {
  fake_.processing_polls(3);
  const std::string bytes = video_bytes(5000);
  fake_.resumable_with_instagram_login(true);
  auto [id, uri] = resumable_container();
  EXPECT_EQ(status_of(id), "IN_PROGRESS") << "no bytes yet";
  ASSERT_EQ(upload(uri, bytes, 0, bytes.size()).status, 200u);
  EXPECT_EQ(publish(id).error(), "9007/2207027") << "not ready";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(status_of(id), "IN_PROGRESS") << i;
  EXPECT_EQ(status_of(id), "FINISHED");
  EXPECT_EQ(upload(uri, bytes, 0, bytes.size()).status, 400u) << "the upload is over";

  fake_.processing_polls(0);
  fake_.next_container_ends(FakeInstagram::End::error, 2207026);
  auto [bad, bad_uri] = resumable_container();
  ASSERT_EQ(upload(bad_uri, bytes, 0, bytes.size()).status, 200u);
  EXPECT_EQ(status_of(bad), "ERROR");
  EXPECT_EQ(publish(bad).error(), "352/2207026");

  fake_.next_container_ends(FakeInstagram::End::expired);
  auto [gone, gone_uri] = resumable_container();
  ASSERT_EQ(upload(gone_uri, bytes, 0, bytes.size()).status, 200u);
  EXPECT_EQ(status_of(gone), "EXPIRED");
  EXPECT_EQ(publish(gone).error(), "-2/2207020");

  fake_.advance_clock(24 * 3600);
  EXPECT_EQ(status_of(id), "EXPIRED") << "not published within 24 h";
  EXPECT_EQ(publish(id).error(), "-2/2207020");
  EXPECT_TRUE(fake_.reels().empty());
}

TEST_F(InstagramFake, OneMediaPerContainerTheSecondPublishIsRefused) {
  const std::string id = finished_container(video_bytes(4000));
  Answer first = publish(id);
  ASSERT_EQ(first.status, 200u) << first.body;
  Answer second = publish(id);
  EXPECT_EQ(second.status, 400u);
  EXPECT_EQ(second.error(), "100/0");
  EXPECT_EQ(status_of(id), "PUBLISHED");
  EXPECT_EQ(fake_.reels().size(), 1u);
  Answer media = get("/" + std::string(first.json().at("id").as_string()),
                     "fields=id,media_type,media_product_type,caption");
  EXPECT_EQ(media.json().at("media_type"), "VIDEO");
  EXPECT_EQ(media.json().at("media_product_type"), "REELS");
  EXPECT_EQ(publish("17999999999999999").error(), "24/2207006") << "an unknown container";
}

TEST_F(InstagramFake, PublishingLimitIsReportedAndEnforcedOverARollingDay) {
  fake_.set_quota_total(3);
  fake_.use_quota(kUserId, 2);
  const std::string since = std::to_string(fake_.now() - 3600);
  Answer limit = get("/" + std::string(kUserId) + "/content_publishing_limit",
                     "fields=quota_usage,config&since=" + since);
  ASSERT_EQ(limit.status, 200u) << limit.body;
  const json::value answer = limit.json();
  const auto &entry = answer.at("data").as_array().at(0);
  EXPECT_EQ(entry.at("quota_usage"), 2);
  EXPECT_EQ(entry.at("config").at("quota_total"), 3);
  EXPECT_EQ(entry.at("config").at("quota_duration"), 86400);
  EXPECT_EQ(get("/" + std::string(kUserId) + "/content_publishing_limit",
                "fields=quota_usage&since=" + std::to_string(fake_.now() - 2 * 86400))
                .error(),
            "100/0")
      << "since older than 24 h";

  const std::string bytes = video_bytes(3000);
  ASSERT_EQ(publish(finished_container(bytes)).status, 200u);
  const std::string over = finished_container(bytes);
  EXPECT_EQ(publish(over).error(), "9/2207042");
  EXPECT_EQ(fake_.reels().size(), 1u);
  fake_.advance_clock(20 * 3600);
  EXPECT_EQ(status_of(over), "FINISHED");
  EXPECT_EQ(publish(over).error(), "9/2207042") << "the day rolls, it does not reset";
  fake_.advance_clock(4 * 3600 + 1);
  EXPECT_EQ(publish(over).error(), "-2/2207020") << "and the container expired meanwhile";
  EXPECT_EQ(publish(finished_container(bytes)).status, 200u)
      << "the earlier publishes left the window";
  EXPECT_EQ(fake_.reels().size(), 2u);
}

TEST_F(InstagramFake, ALostPublishReplyIsResolvedByReadingTheContainer) {
  const std::string id = finished_container(video_bytes(7000));
  fake_.lose_next_publish_reply();
  EXPECT_EQ(publish(id).status, 0u) << "the connection closed unanswered";
  EXPECT_EQ(status_of(id), "PUBLISHED") << "so it was published";
  Answer mine = get("/me/media", "fields=id,timestamp,caption");
  ASSERT_EQ(mine.json().at("data").as_array().size(), 1u) << mine.body;
  EXPECT_EQ(mine.json().at("data").at(0).at("id").as_string(), fake_.reels().at(0).media_id);
  EXPECT_EQ(fake_.reels().size(), 1u);
  EXPECT_EQ(fake_.faults_served().at("lost_publish_reply"), 1);

  // The unconfirmed report: 2207051 although the post went out.
  const std::string spam = finished_container(video_bytes(7001));
  fake_.spam_refusal_after_next_publish();
  EXPECT_EQ(publish(spam).error(), "4/2207051");
  EXPECT_EQ(status_of(spam), "PUBLISHED");
  EXPECT_EQ(fake_.reels().size(), 2u);
  fake_.media_list_shows_reels(false);
  EXPECT_TRUE(get("/me/media", "fields=id").json().at("data").as_array().empty());
}

// --- Refusals ---------------------------------------------------------------------------------

TEST_F(InstagramFake, BadRequestsAreRefusedInGraphsEnvelope) {
  const std::string media = "/" + std::string(kUserId) + "/media";
  Answer video = post(media, {{"media_type", "VIDEO"}, {"upload_type", "resumable"}});
  EXPECT_EQ(video.status, 400u);
  const json::value answer = video.json();
  const auto &error = answer.at("error").as_object();
  EXPECT_EQ(error.at("code"), 100);
  EXPECT_EQ(error.at("type"), "OAuthException");
  EXPECT_FALSE(error.at("message").as_string().empty());
  EXPECT_FALSE(error.at("fbtrace_id").as_string().empty());

  EXPECT_EQ(post(media, {{"media_type", "REELS"},
                         {"upload_type", "resumable"},
                         {"video_url", "http://127.0.0.1:9/a.mp4"}})
                .error(),
            "100/0")
      << "both sources";
  EXPECT_EQ(post(media, {{"media_type", "REELS"}}).error(), "100/0") << "no source";
  EXPECT_EQ(post(media, {{"media_type", "REELS"}, {"upload_type", "resumable"}, {"captoin", "x"}})
                .error(),
            "100/0")
      << "an unknown parameter";
  EXPECT_EQ(
      post(media, {{"media_type", "REELS"}, {"upload_type", "resumable"}, {"share_to_feed", "yes"}})
          .error(),
      "100/0");
  EXPECT_EQ(
      post(media, {{"media_type", "REELS"}, {"upload_type", "resumable"}, {"thumb_offset", "1.5s"}})
          .error(),
      "100/0");
  EXPECT_EQ(
      post("/17841400000000002/media", {{"media_type", "REELS"}, {"upload_type", "resumable"}})
          .error(),
      "100/33")
      << "another account's container";
  EXPECT_EQ(
      post(media, {{"media_type", "REELS"}, {"upload_type", "resumable"}}, "IGAAnobody").error(),
      "190/0");
  EXPECT_EQ(send(http::verb::get, graph(media)).error(), "104/0") << "no token";
  fake_.add_user({"17841400000000003",
                  "basic.only",
                  FakeInstagram::Login::instagram,
                  "IGAAbasic-only-token-0003",
                  {"instagram_business_basic"}});
  EXPECT_EQ(post("/me/media", {{"media_type", "REELS"}, {"upload_type", "resumable"}},
                 "IGAAbasic-only-token-0003")
                .error(),
            "10/0")
      << "publishing needs instagram_business_content_publish";
  EXPECT_EQ(
      send(http::verb::get, fake_.graph_url() + "/" + kUserId + "/media?access_token=" + kToken)
          .status,
      400u)
      << "no version in the path";
  auto [id, uri] = resumable_container();
  EXPECT_EQ(get("/" + id, "fields=status_code,media_url").error(), "100/0") << "no such field";
  EXPECT_EQ(get("/" + id, "fields=status_code", kFacebookToken).error(), "100/33");
  EXPECT_TRUE(fake_.containers().size() == 1u) << "nothing refused was created";
}

TEST_F(InstagramFake, EveryDocumentedErrorIsReachableWithItsCodes) {
  const std::vector<std::pair<GraphError, std::string>> table = {
      {GraphError::download_timeout, "-2/2207003"},
      {GraphError::server_error, "-1/2207001"},
      {GraphError::create_failed, "-1/2207032"},
      {GraphError::container_expired, "-2/2207020"},
      {GraphError::unknown_upload_error, "-1/2207053"},
      {GraphError::media_not_found, "24/2207006"},
      {GraphError::builder_expired, "24/2207008"},
      {GraphError::not_ready, "9007/2207027"},
      {GraphError::video_format, "352/2207026"},
      {GraphError::thumb_offset, "1/2207057"},
      {GraphError::url_not_fetchable, "9004/2207052"},
      {GraphError::daily_limit, "9/2207042"},
      {GraphError::spam, "4/2207051"},
      {GraphError::restricted, "25/2207050"},
      {GraphError::app_rate_limit, "4/0"},
      {GraphError::user_rate_limit, "17/0"},
      {GraphError::page_rate_limit, "32/0"},
      {GraphError::custom_rate_limit, "613/0"},
      {GraphError::instagram_rate_limit, "80002/0"},
      {GraphError::token_invalid, "190/0"},
      {GraphError::token_expired, "190/463"},
  };
  const std::string id = finished_container(video_bytes(2000));
  for (auto &[error, codes] : table) {
    fake_.fail_next(FakeInstagram::Step::publish, error);
    Answer refused = publish(id);
    EXPECT_EQ(refused.status, 400u) << codes;
    EXPECT_EQ(refused.error(), codes);
  }
  EXPECT_TRUE(fake_.reels().empty()) << "a refusal publishes nothing";
  EXPECT_EQ(publish(id).status, 200u) << "each fault served once";

  fake_.fail_next(FakeInstagram::Step::create, GraphError::create_failed, 2);
  EXPECT_EQ(post("/me/media", {{"media_type", "REELS"}, {"upload_type", "resumable"}}).error(),
            "-1/2207032");
  fake_.fail_next(FakeInstagram::Step::status, GraphError::server_error);
  EXPECT_EQ(get("/" + id, "fields=status_code").error(), "-1/2207001");
  fake_.fail_next(FakeInstagram::Step::limit, GraphError::user_rate_limit);
  EXPECT_EQ(get("/me/content_publishing_limit", "fields=quota_usage").error(), "17/0");
  EXPECT_EQ(fake_.faults_served().at("-1/2207032"), 2) << "the table's and this one";
}

}  // namespace
}  // namespace automuse::testing
