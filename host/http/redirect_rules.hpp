// What following one redirect may send, decided by the host rather than by libcurl: the next
// hop's request is built here, so credentials and bodies never leave the origin (scheme, host
// and port) they were meant for, https never falls back to http, and after 301/302/303 the
// request goes on as a body-less GET (RFC 9110, 15.4).
#pragma once

#include <automuse/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace automuse::http {

// Hops followed at most before a request fails.
inline constexpr int kMaxRedirects = 10;

// True for the statuses that are followed: 301, 302, 303, 307 and 308.
bool is_followed_redirect(long http_status);

// True when both URLs have the same scheme, host and port (the default port when none).
bool same_origin(std::string_view a, std::string_view b);

// The next hop, or why there is none.
struct RedirectStep {
  std::optional<Request> next;
  am_status status = AM_OK;  // when !next
  std::string error;         // when !next; names the redirect, secrets redacted
};

// The request to send after `from` was answered with `http_status` and `location`:
// - the target is resolved against from.url and must be http(s); https -> http is refused;
// - 301/302/303: a GET (HEAD stays HEAD) without body or the headers describing one;
// - 307/308: the same method and body, but a body is never sent to another origin (refused);
// - to another origin, credential headers (see is_secret_header) and the request's
//   secret_headers are dropped, as is a Host header set by the caller.
RedirectStep follow_redirect(const Request &from, long http_status, std::string_view location);

}  // namespace automuse::http
