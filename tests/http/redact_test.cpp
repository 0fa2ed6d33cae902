// Unit tests of secret redaction for the HTTP service's logs.
#include "http/redact.hpp"

#include <gtest/gtest.h>

namespace automuse::http {
namespace {

TEST(Redact, SecretHeaders) {
  for (const char *name : {"Authorization", "x-api-key", "XI-API-KEY", "x-goog-api-key",
                           "Proxy-Authorization", "Cookie", "X-Csrf-Token"}) {
    EXPECT_TRUE(is_secret_header(name)) << name;
    EXPECT_EQ(redact_header(name, "s3cr3t"), std::string(name) + ": REDACTED");
  }
  EXPECT_FALSE(is_secret_header("Content-Type"));
  EXPECT_EQ(redact_header("Content-Type", "application/json"), "Content-Type: application/json");
}

TEST(Redact, QueryKeysAndUserinfo) {
  std::string u = redact_url(
      "https://me:hunter2@example.com/v1/models?key=AIzaSECRET&alt=json&access_token=tok");
  EXPECT_EQ(u.find("AIzaSECRET"), std::string::npos) << u;
  EXPECT_EQ(u.find("hunter2"), std::string::npos) << u;
  EXPECT_EQ(u.find("=tok"), std::string::npos) << u;
  EXPECT_NE(u.find("alt=json"), std::string::npos) << u;
  EXPECT_NE(u.find("key=REDACTED"), std::string::npos) << u;
}

TEST(Redact, BearerTokensInText) {
  std::string t = redact_text("failed with Authorization Bearer sk-abc123, retry");
  EXPECT_EQ(t.find("sk-abc123"), std::string::npos) << t;
  EXPECT_NE(t.find("Bearer REDACTED"), std::string::npos) << t;
}

TEST(Redact, UnparsableUrlIsNotEchoed) {
  EXPECT_EQ(redact_url("http://[bad"), "<unparsable url>");
}

}  // namespace
}  // namespace automuse::http
