// tests/support/instagram/graph_error.cpp — Graph's error envelope and the documented codes.
#include "support/instagram/graph_error.hpp"

#include <openssl/rand.h>

#include <boost/json.hpp>

#include "support/encoding.hpp"

namespace automuse::testing::instagram {
namespace json = boost::json;
using E = FakeInstagram::GraphError;

GraphErrorInfo describe(E error) {
  switch (error) {
    case E::download_timeout:
      return {-2, 2207003, "It takes too long to download the media.", true, "Download timeout"};
    case E::server_error:
      return {-1, 2207001, "An unexpected error has occurred. Please retry your request later.",
              true, "Server error"};
    case E::create_failed:
      return {-1, 2207032, "Failed to create the media, please try again.", true, "Create failed"};
    case E::container_expired:
      return {-2, 2207020, "The media you are trying to access has expired. Please try again.",
              false, "Media expired"};
    case E::unknown_upload_error:
      return {-1, 2207053, "An unknown error occurred during the video upload.", false,
              "Upload error"};
    case E::media_not_found:
      return {24, 2207006, "The media with this id could not be found.", false, "Media not found"};
    case E::builder_expired:
      return {24, 2207008, "The media builder has expired. Please retry in a moment.", true,
              "Media builder expired"};
    case E::not_ready:
      return {9007, 2207027, "The media is not ready to be published. Please wait a moment.", false,
              "Media not ready"};
    case E::video_format:
      return {352, 2207026, "The video format is not supported.", false,
              "Unsupported video format"};
    case E::thumb_offset:
      return {1, 2207057, "The thumbnail offset is outside the video.", false,
              "Invalid thumbnail offset"};
    case E::url_not_fetchable:
      return {9004, 2207052, "The media could not be fetched from this URI.", false,
              "Media download failed"};
    case E::daily_limit:
      return {9, 2207042, "The account has reached its daily publishing limit.", false,
              "Publishing limit reached"};
    case E::spam:
      return {4, 2207051, "This action was restricted because it seemed like spam.", false,
              "Action blocked"};
    case E::restricted:
      return {25, 2207050, "The Instagram account is restricted.", false, "Account restricted"};
    case E::app_rate_limit:
      return {4, 0, "Application request limit reached", true, ""};
    case E::user_rate_limit:
      return {17, 0, "User request limit reached", true, ""};
    case E::page_rate_limit:
      return {32, 0, "Page request limit reached", true, ""};
    case E::custom_rate_limit:
      return {613, 0, "Calls to this api have exceeded the rate limit.", true, ""};
    case E::instagram_rate_limit:
      return {80002, 0, "There have been too many calls to this Instagram account.", true, ""};
    case E::token_invalid:
      return {190, 0, "Invalid OAuth access token - Cannot parse access token", false, ""};
    case E::token_expired:
      return {190, 463, "Error validating access token: Session has expired.", false, ""};
  }
  return {};
}

E error_for_subcode(int subcode) {
  for (E e : {E::download_timeout, E::server_error, E::create_failed, E::container_expired,
              E::unknown_upload_error, E::media_not_found, E::builder_expired, E::not_ready,
              E::video_format, E::thumb_offset, E::url_not_fetchable, E::daily_limit, E::spam,
              E::restricted})
    if (describe(e).subcode == subcode) return e;
  return E::video_format;
}

namespace {

std::string fbtrace_id() {
  std::string raw(8, '\0');
  RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), static_cast<int>(raw.size()));
  return base64url(raw);
}

bool rate_limit(int code) {
  return code == 4 || code == 17 || code == 32 || code == 613 || code == 80002;
}

}  // namespace

Reply graph_error(const GraphErrorInfo &info) {
  json::object error{{"message", info.message},
                     {"type", "OAuthException"},
                     {"code", info.code},
                     {"is_transient", info.transient},
                     {"fbtrace_id", fbtrace_id()}};
  if (info.subcode) error["error_subcode"] = info.subcode;
  if (!info.user_title.empty()) {
    error["error_user_title"] = info.user_title;
    error["error_user_msg"] = info.message;
  }
  Reply reply = Reply::json(json::value(json::object{{"error", error}}), 400);
  if (rate_limit(info.code) && info.subcode == 0)
    reply.with_header("X-App-Usage", R"({"call_count":100,"total_cputime":12,"total_time":15})");
  return reply;
}

Reply graph_error(E error) {
  return graph_error(describe(error));
}

Reply graph_error(int code, const std::string &message, int subcode) {
  return graph_error(GraphErrorInfo{code, subcode, message, false, ""});
}

}  // namespace automuse::testing::instagram
