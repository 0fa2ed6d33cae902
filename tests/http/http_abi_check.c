/* Compiles automuse/http.h as C11 with -Werror and pins its released layout (x86-64 / LP64):
 * a change here is an ABI break and needs automuse.http/2. */
#include <automuse/http.h>
#include <stddef.h>

#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(am_http_header) == 32, "am_http_header size");
_Static_assert(offsetof(am_http_request, method) == 8, "am_http_request.method");
_Static_assert(offsetof(am_http_request, url) == 24, "am_http_request.url");
_Static_assert(offsetof(am_http_request, headers) == 40, "am_http_request.headers");
_Static_assert(offsetof(am_http_request, body) == 56, "am_http_request.body");
_Static_assert(offsetof(am_http_request, body_file) == 72, "am_http_request.body_file");
_Static_assert(offsetof(am_http_request, sink) == 88, "am_http_request.sink");
_Static_assert(offsetof(am_http_request, response_file) == 96, "am_http_request.response_file");
_Static_assert(offsetof(am_http_request, on_chunk) == 112, "am_http_request.on_chunk");
_Static_assert(offsetof(am_http_request, connect_timeout_ms) == 120, "connect_timeout_ms");
_Static_assert(offsetof(am_http_request, retry_max_total_ms) == 144, "retry_max_total_ms");
_Static_assert(offsetof(am_http_request, safe_to_resend_body) == 148, "safe_to_resend_body");
_Static_assert(offsetof(am_http_request, no_redirects) == 149, "no_redirects");
_Static_assert(offsetof(am_http_request, flags) == 152, "flags");
_Static_assert(sizeof(am_http_request) == 160, "am_http_request size");
_Static_assert(offsetof(am_http_response, status) == 4, "am_http_response.status");
_Static_assert(offsetof(am_http_response, error) == 8, "am_http_response.error");
_Static_assert(offsetof(am_http_response, http_status) == 24, "am_http_response.http_status");
_Static_assert(offsetof(am_http_response, headers) == 32, "am_http_response.headers");
_Static_assert(offsetof(am_http_response, body) == 48, "am_http_response.body");
_Static_assert(offsetof(am_http_response, body_bytes) == 64, "am_http_response.body_bytes");
_Static_assert(offsetof(am_http_response, attempts) == 72, "am_http_response.attempts");
_Static_assert(offsetof(am_http_response, http_version) == 80, "am_http_response.http_version");
_Static_assert(sizeof(am_http_response) == 96, "am_http_response size (80 before http_version)");
_Static_assert(offsetof(am_http, send) == 16, "am_http.send");
_Static_assert(offsetof(am_http, cancel) == 24, "am_http.cancel");
_Static_assert(sizeof(am_http) == 32, "am_http size");
#endif

/* Referenced so the object file is not empty. */
int automuse_http_abi_checked(void) { return (int)sizeof(am_http); }
