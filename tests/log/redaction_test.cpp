// tests/log/redaction_test.cpp — the redactor's shapes: every form of secret the host may print
// without having been told its value (form bodies and query strings, JSON keys in snake_case
// and camelCase, credential headers) comes out as "***", and the text around it stays.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "log/logging.hpp"

namespace lg = automuse::log;

namespace {

struct Shape {
  std::string name;    // the test's name
  std::string input;   // a line as the host may print it
  std::string secret;  // what must not survive
  std::string kept;    // what must
};

void PrintTo(const Shape &s, std::ostream *os) {
  *os << s.name;
}

class RedactionShape : public ::testing::TestWithParam<Shape> {};

TEST_P(RedactionShape, SecretGoneRestKept) {
  const Shape &s = GetParam();
  const std::string out = lg::redact(s.input);
  EXPECT_EQ(out.find(s.secret), std::string::npos) << out;
  EXPECT_NE(out.find(s.kept), std::string::npos) << out;
  EXPECT_NE(out.find("***"), std::string::npos) << out;
}

const Shape kShapes[] = {
    // Form bodies (the line may start with the secret) and query strings.
    {"FormRefreshToken", "refresh_token=1//0gRtK-aBcDeFgH&grant_type=refresh_token",
     "1//0gRtK-aBcDeFgH", "grant_type=refresh_token"},
    {"FormAccessToken", "token answer access_token=ya29.a0AfH6SMBx&expires_in=3599",
     "ya29.a0AfH6SMBx", "expires_in=3599"},
    {"FormCode", "code=4/0AeaYSHBqLmNoP&redirect_uri=http://127.0.0.1:5555/", "4/0AeaYSHBqLmNoP",
     "redirect_uri=http://127.0.0.1:5555/"},
    {"FormCodeVerifier", "grant_type=authorization_code&code_verifier=Zx9_yW8-vU7.tS6~rQ5pO4",
     "Zx9_yW8-vU7.tS6~rQ5pO4", "grant_type=authorization_code"},
    {"FormClientSecret", "client_id=abc.apps&client_secret=GOCSPX-s3cr3tValue",
     "GOCSPX-s3cr3tValue", "client_id=abc.apps"},
    {"FormIdToken", "id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln&scope=openid",
     "eyJhbGciOiJSUzI1NiJ9", "scope=openid"},
    {"QueryOAuthToken", "GET /oauth/authenticate?oauth_token=NPcudxy0yU5T3tBzho7iCotZ3cnetKwc",
     "NPcudxy0yU5T3tBzho7iCotZ3cnetKwc", "/oauth/authenticate?"},
    {"OAuthSignatureQuoted",
     R"(OAuth oauth_consumer_key="xvz1evFS4w", oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D")",
     "tnnArxj06cWHq44gCs1OSKk", "oauth_consumer_key"},
    {"QueryAmzSignature",
     "https://bucket.s3.amazonaws.com/x.mp4?X-Amz-Expires=900&X-Amz-Signature="
     "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
     "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024", "X-Amz-Expires=900"},
    {"QueryAmzCredential",
     "https://bucket.s3.amazonaws.com/x.mp4?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-"
     "east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z",
     "AKIAIOSFODNN7EXAMPLE", "X-Amz-Date=20130524T000000Z"},
    // JSON keys, snake_case and camelCase, plain and escaped inside a JSON string.
    {"JsonAccessTokenSnake", R"({"access_token": "ya29.snake-Value", "expires_in": 3599})",
     "ya29.snake-Value", R"("expires_in": 3599)"},
    {"JsonAccessTokenCamel", R"({"accessToken":"ya29.camel-Value","scope":"upload"})",
     "ya29.camel-Value", R"("scope":"upload")"},
    {"JsonRefreshTokenCamel", R"({"refreshToken":"1//refresh-camel","user":"me"})",
     "1//refresh-camel", R"("user":"me")"},
    {"JsonRefreshTokenSnake", R"({"refresh_token":"1//refresh-snake","user":"me"})",
     "1//refresh-snake", R"("user":"me")"},
    {"JsonIdTokenCamel", R"({"idToken":"eyJ.id-camel.sig","ok":true})", "eyJ.id-camel.sig",
     R"("ok":true)"},
    {"JsonIdTokenSnake", R"({"id_token":"eyJ.id-snake.sig","ok":true})", "eyJ.id-snake.sig",
     R"("ok":true)"},
    {"JsonClientSecretCamel", R"({"clientSecret":"GOCSPX-camel","clientId":"abc"})", "GOCSPX-camel",
     R"("clientId":"abc")"},
    {"JsonApiKeyCamel", R"({"apiKey":"AIzaSy-camel-key","model":"m"})", "AIzaSy-camel-key",
     R"("model":"m")"},
    {"JsonApiKeySnake", R"({"api_key":"AIzaSy-snake-key","model":"m"})", "AIzaSy-snake-key",
     R"("model":"m")"},
    {"JsonEscapedInString", R"(result: "{\"accessToken\":\"ya29.escaped\",\"n\":1}")",
     "ya29.escaped", R"(\"n\":1)"},
    // Headers: the whole value, whatever its scheme or parts.
    {"HeaderAuthorizationOAuth",
     R"(Authorization: OAuth oauth_consumer_key="ck", oauth_token="370773112-GmHxMAgYyLbNEtI")",
     "370773112-GmHxMAgYyLbNEtI", "Authorization:"},
    {"HeaderAuthorizationBearer", "Authorization: Bearer ya29.header-bearer", "ya29.header-bearer",
     "Authorization:"},
    {"HeaderCookie", "Cookie: session-id=131-7654321; at-main=Atza|IwEBIJ", "131-7654321",
     "Cookie:"},
    {"HeaderSetCookie", "set-cookie: sid=Zm9vYmFyYmF6; Path=/; HttpOnly", "Zm9vYmFyYmF6",
     "set-cookie:"},
    {"HeaderXApiKey", "x-api-key: anthropic-like-key-123", "anthropic-like-key-123", "x-api-key:"},
    {"HeaderXGoogApiKey", "X-Goog-Api-Key: AIzaSyGoogKey123", "AIzaSyGoogKey123",
     "X-Goog-Api-Key:"},
    {"HeaderXiApiKey", "xi-api-key: 0123456789abcdef", "0123456789abcdef", "xi-api-key:"},
};

INSTANTIATE_TEST_SUITE_P(Redaction, RedactionShape, ::testing::ValuesIn(kShapes),
                         [](const auto &info) { return info.param.name; });

// Printed JSON (an action's result, `runs --json`) stays JSON: a header or form body inside a
// string is redacted up to the string's end, not beyond.
TEST(Redaction, JsonStaysValid) {
  const std::string in =
      R"({"error":"sent Authorization: OAuth oauth_token=\"tok-1234567\", oauth_signature=\"c2lnbmF0dXJl\"",)"
      R"("body":"code=4/0AeaYSHB&state=s","n":1,"headers":{"Cookie":"sid=abcdef123"}})";
  const std::string out = lg::redact(in);
  boost::system::error_code ec;
  auto v = boost::json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  EXPECT_EQ(v.at("n"), 1) << out;
  for (const char *secret : {"tok-1234567", "c2lnbmF0dXJl", "4/0AeaYSHB", "abcdef123"})
    EXPECT_EQ(out.find(secret), std::string::npos) << out;
}

TEST(Redaction, OrdinaryTextUntouched) {
  for (const char *text : {"nothing secret here", "uploaded video abc123 to channel x",
                           "GET /v1/models?alt=sse&page=2", R"({"title":"a song","n":3})"})
    EXPECT_EQ(lg::redact(text), text);
}

}  // namespace
