// Helpers of the HTTP value types: see http_types.hpp.
#include "http/http_types.hpp"

#include <strings.h>

namespace automuse::http {

std::optional<std::string_view> find_header(const Headers &headers, std::string_view name) {
  for (const auto &h : headers) {
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return std::string_view(h.value);
  }
  return std::nullopt;
}

am_status status_of_http_error(int http_status, bool quota_exhausted) {
  switch (http_status) {
    case 400:
    case 422:
      return AM_INVALID_ARGUMENT;
    case 401:
      return AM_UNAUTHENTICATED;
    case 403:
      return AM_PERMISSION_DENIED;
    case 404:
      return AM_NOT_FOUND;
    case 429:
      return quota_exhausted ? AM_QUOTA_EXCEEDED : AM_RATE_LIMITED;
    default:
      return http_status >= 500 ? AM_UNAVAILABLE : AM_ERROR;
  }
}

}  // namespace automuse::http
