// tests/instagram/graph_errors_test.cpp — every documented Graph error (docs/protocols/
// instagram.md, "Errors") maps to the remedy the notes give it, read out of the envelope the fake
// Instagram answers (tests/support/instagram/graph_error.*), and a container's status text gives
// its subcode whatever its wording.
#include "graph_errors.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/instagram/graph_error.hpp"

using automuse::testing::FakeInstagram;
using instagram::Remedy;

namespace {

struct Expected {
  FakeInstagram::GraphError error;
  Remedy remedy;
  am_status status;
};

TEST(InstagramErrors, EveryDocumentedErrorHasItsRemedy) {
  using E = FakeInstagram::GraphError;
  const Expected table[] = {
      {E::download_timeout, Remedy::retry, AM_UNAVAILABLE},
      {E::server_error, Remedy::retry, AM_UNAVAILABLE},
      {E::create_failed, Remedy::retry, AM_UNAVAILABLE},
      {E::container_expired, Remedy::new_container, AM_UNAVAILABLE},
      {E::unknown_upload_error, Remedy::new_container, AM_UNAVAILABLE},
      {E::media_not_found, Remedy::new_container, AM_UNAVAILABLE},
      {E::builder_expired, Remedy::wait_then_new, AM_UNAVAILABLE},
      {E::not_ready, Remedy::keep_polling, AM_UNAVAILABLE},
      {E::video_format, Remedy::stop, AM_INVALID_ARGUMENT},
      {E::thumb_offset, Remedy::stop, AM_INVALID_ARGUMENT},
      {E::url_not_fetchable, Remedy::stop, AM_INVALID_ARGUMENT},
      {E::daily_limit, Remedy::quota, AM_QUOTA_EXCEEDED},
      {E::spam, Remedy::stop, AM_PERMISSION_DENIED},
      {E::restricted, Remedy::stop, AM_PERMISSION_DENIED},
      {E::app_rate_limit, Remedy::wait_rate, AM_RATE_LIMITED},
      {E::user_rate_limit, Remedy::wait_rate, AM_RATE_LIMITED},
      {E::page_rate_limit, Remedy::wait_rate, AM_RATE_LIMITED},
      {E::custom_rate_limit, Remedy::wait_rate, AM_RATE_LIMITED},
      {E::instagram_rate_limit, Remedy::wait_rate, AM_RATE_LIMITED},
      {E::token_invalid, Remedy::login, AM_UNAUTHENTICATED},
      {E::token_expired, Remedy::login, AM_UNAUTHENTICATED},
  };
  for (const Expected &x : table) {
    const auto reply = automuse::testing::instagram::graph_error(x.error);
    const instagram::GraphError e = instagram::parse_graph_error(reply.body);
    const auto info = automuse::testing::instagram::describe(x.error);
    EXPECT_EQ(e.code, info.code) << reply.body;
    EXPECT_EQ(e.subcode, info.subcode) << reply.body;
    const auto m = instagram::meaning_of(e.code, e.subcode);
    EXPECT_EQ(static_cast<int>(m.remedy), static_cast<int>(x.remedy)) << reply.body;
    EXPECT_EQ(m.status, x.status) << reply.body;
    const std::string text = instagram::explain("Instagram account 'chef'", e, "publishing");
    EXPECT_EQ(text.rfind("Instagram account 'chef': publishing: ", 0), 0u) << text;
    EXPECT_NE(text.find(e.code_text()), std::string::npos) << text;
  }
}

TEST(InstagramErrors, AContainerSubcodeIsReadWhateverTheWording) {
  EXPECT_EQ(instagram::subcode_in_status("Error: Media upload has failed with error code 2207026"),
            2207026);
  EXPECT_EQ(instagram::subcode_in_status("ERROR (2207052) fetch failed"), 2207052);
  EXPECT_EQ(instagram::subcode_in_status("no code here, only 123 and 12345678"), 0);
  const auto m = instagram::meaning_of(0, 2207026);
  EXPECT_EQ(static_cast<int>(m.remedy), static_cast<int>(Remedy::stop));
  EXPECT_EQ(static_cast<int>(instagram::meaning_of(0, 2207053).remedy),
            static_cast<int>(Remedy::new_container));
}

TEST(InstagramErrors, ABodyThatIsNotGraphsEnvelopeHasNoCode) {
  EXPECT_EQ(instagram::parse_graph_error("<html>bad gateway</html>").code, 0);
  EXPECT_EQ(instagram::parse_graph_error(R"({"error":"nope"})").code, 0);
}

}  // namespace
