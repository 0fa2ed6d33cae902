// plugins/instagram/graph_errors.cpp — the table of Graph's publishing errors and their remedies.
#include "graph_errors.hpp"

#include <boost/json.hpp>
#include <cctype>

namespace instagram {
namespace json = boost::json;

namespace {

struct Row {
  int code, subcode;  // subcode 0: any (or none)
  Remedy remedy;
  am_status status;
  const char *meaning;
  const char *fix;
};

// The documented pairs first, then codes whatever their subcode.
constexpr Row kTable[] = {
    {-2, 2207003, Remedy::retry, AM_UNAVAILABLE, "Instagram took too long to download the video",
     ""},
    {-1, 2207001, Remedy::retry, AM_UNAVAILABLE, "Instagram had a server error", ""},
    {-1, 2207032, Remedy::retry, AM_UNAVAILABLE, "Instagram could not create the media", ""},
    {-2, 2207020, Remedy::new_container, AM_UNAVAILABLE,
     "the media container expired (not published within 24 hours)", ""},
    {-1, 2207053, Remedy::new_container, AM_UNAVAILABLE, "an unknown error ended the upload", ""},
    {24, 2207006, Remedy::new_container, AM_UNAVAILABLE,
     "Instagram no longer knows the media container", ""},
    {24, 2207008, Remedy::wait_then_new, AM_UNAVAILABLE, "the media builder expired", ""},
    {9007, 2207027, Remedy::keep_polling, AM_UNAVAILABLE, "the media is not ready to publish yet",
     ""},
    {352, 2207026, Remedy::stop, AM_INVALID_ARGUMENT,
     "Instagram does not support the video's format",
     "render it as MP4 (H.264, AAC, moov at the front, no edit lists) within Instagram's rules"},
    {1, 2207057, Remedy::stop, AM_INVALID_ARGUMENT, "the cover's thumb_offset is outside the video",
     "give a thumb_offset within the video's length"},
    {9004, 2207052, Remedy::stop, AM_INVALID_ARGUMENT,
     "Instagram could not fetch the video from its URL",
     "check that the account's public_url_prefix serves its publish_folder publicly over https"},
    {9, 2207042, Remedy::quota, AM_QUOTA_EXCEEDED, "the account reached its daily publishing limit",
     "wait until its rolling 24-hour window frees a slot"},
    {4, 2207051, Remedy::stop, AM_PERMISSION_DENIED, "Instagram restricted the action as spam",
     "check the account in the Instagram app"},
    {25, 2207050, Remedy::stop, AM_PERMISSION_DENIED, "the Instagram account is restricted",
     "check the account in the Instagram app"},
    {190, 0, Remedy::login, AM_UNAUTHENTICATED, "the access token is invalid or expired", ""},
    {4, 0, Remedy::wait_rate, AM_RATE_LIMITED, "the app's rate limit was reached", ""},
    {17, 0, Remedy::wait_rate, AM_RATE_LIMITED, "the user's rate limit was reached", ""},
    {32, 0, Remedy::wait_rate, AM_RATE_LIMITED, "the page's rate limit was reached", ""},
    {613, 0, Remedy::wait_rate, AM_RATE_LIMITED, "a custom rate limit was reached", ""},
    {80002, 0, Remedy::wait_rate, AM_RATE_LIMITED,
     "Instagram's business-use-case rate limit was reached", ""},
    {10, 0, Remedy::stop, AM_PERMISSION_DENIED,
     "the login does not allow publishing (instagram_business_content_publish is missing)",
     "log in again and grant content publishing"},
    {200, 0, Remedy::stop, AM_PERMISSION_DENIED, "the app lacks a permission this call needs",
     "check the app's permissions in the Meta developer dashboard"},
    {100, 0, Remedy::stop, AM_INVALID_ARGUMENT, "Instagram refused a parameter of the request",
     "this is a bug in AutoMuse or an unsupported setting: report it with this message"},
    {104, 0, Remedy::login, AM_UNAUTHENTICATED, "the request carried no access token", ""},
};

std::string string_of(const json::object &o, const char *key) {
  const json::value *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int int_of(const json::object &o, const char *key) {
  const json::value *v = o.if_contains(key);
  if (v && v->is_int64()) return static_cast<int>(v->as_int64());
  if (v && v->is_string()) {
    try {
      return std::stoi(std::string(v->as_string()));
    } catch (...) {
    }
  }
  return 0;
}

}  // namespace

std::string GraphError::code_text() const {
  return "code " + std::to_string(code) + (subcode ? "/" + std::to_string(subcode) : "");
}

GraphError parse_graph_error(const std::string &body) {
  GraphError e;
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return e;
  const json::value *err = v.as_object().if_contains("error");
  if (!err || !err->is_object()) return e;
  const json::object &o = err->as_object();
  e.code = int_of(o, "code");
  e.subcode = int_of(o, "error_subcode");
  e.message = string_of(o, "message");
  e.user_message = string_of(o, "error_user_msg");
  if (e.user_message.empty()) e.user_message = string_of(o, "error_user_title");
  const json::value *t = o.if_contains("is_transient");
  e.transient = t && t->is_bool() && t->as_bool();
  return e;
}

ErrorMeaning meaning_of(int code, int subcode) {
  for (const Row &r : kTable)
    if (r.code == code && r.subcode != 0 && r.subcode == subcode)
      return {r.remedy, r.status, r.meaning, r.fix};
  for (const Row &r : kTable)
    if (r.code == code && r.subcode == 0) return {r.remedy, r.status, r.meaning, r.fix};
  // A container subcode read out of a status text, without its code.
  for (const Row &r : kTable)
    if (code == 0 && r.subcode != 0 && r.subcode == subcode)
      return {r.remedy, r.status, r.meaning, r.fix};
  return {Remedy::stop, AM_ERROR, "Instagram refused the request", ""};
}

int subcode_in_status(const std::string &status_text) {
  // Only the 7-digit subcode is read: the wording around it is not fixed.
  for (size_t i = 0; i + 7 <= status_text.size(); ++i) {
    if (i > 0 && std::isdigit(static_cast<unsigned char>(status_text[i - 1]))) continue;
    size_t n = 0;
    while (i + n < status_text.size() &&
           std::isdigit(static_cast<unsigned char>(status_text[i + n])))
      ++n;
    if (n == 7) return std::stoi(status_text.substr(i, 7));
    i += n;
  }
  return 0;
}

std::string explain(const std::string &label, const GraphError &e, const std::string &during) {
  const ErrorMeaning m = meaning_of(e.code, e.subcode);
  std::string out = label + ": " + during + ": " + m.meaning + " (" + e.code_text();
  if (!e.message.empty()) out += ": " + e.message;
  out += ")";
  if (!e.user_message.empty() && e.user_message != e.message)
    out += "; Instagram says: " + e.user_message;
  if (!m.fix.empty()) out += "; " + m.fix;
  return out;
}

}  // namespace instagram
