/* automuse/http.h — the HTTP service, "automuse.http/1": asynchronous HTTP(S) requests on
 * behalf of a job, over one shared connection pool (HTTP/2 where offered, connections
 * reused), with retries the service owns, per-request timeouts, bodies streamed from and to
 * files, and streamed responses (Server-Sent Events, NDJSON) delivered chunk by chunk.
 *
 * Retries: 429 and 503 wait as long as the server asks (Retry-After in seconds or as an HTTP
 * date, retry-after-ms, x-rate-limit-reset in epoch seconds); 408/5xx and connection failures
 * back off exponentially with jitter; all bounded by max_attempts and retry_max_total_ms. A
 * request whose body was already sent is re-sent only if safe_to_resend_body is true (a 429
 * is the exception: the server refused it without acting). Timeouts are not retried.
 * TLS is always verified; the CA bundle and an HTTP(S) proxy come from the host's
 * configuration. Secrets in headers and URLs are redacted from the host's logs. */
#ifndef AUTOMUSE_HTTP_H
#define AUTOMUSE_HTTP_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_HTTP_SERVICE_ID "automuse.http/1"

typedef struct am_http_header {
  am_str name;
  am_str value;
} am_http_header;

/* Where a response body goes. Bodies of non-2xx responses always arrive in
 * am_http_response.body (up to 64 KiB), so error details are readable and never end up in a
 * file or a stream. */
typedef int32_t am_http_sink;
enum {
  AM_HTTP_SINK_MEMORY = 0,  /* am_http_response.body */
  AM_HTTP_SINK_FILE = 1,    /* written to "<response_file>.part", renamed on success */
  AM_HTTP_SINK_CALLBACK = 2 /* on_chunk, chunk by chunk, as the body arrives */
};

/* [job-strand] One piece of a streamed body. Runs on the job's executor, in order, before the
 * request's completion. `chunk` is borrowed for the call. */
typedef void (*am_http_chunk_fn)(void *user, am_str chunk);

typedef struct am_http_request {
  uint32_t struct_size;          /* sizeof(am_http_request) of the caller */
  am_str method;                 /* "GET" when empty */
  am_str url;                    /* http:// or https:// */
  const am_http_header *headers; /* header_count entries */
  size_t header_count;
  am_str body;      /* request body, copied by send(); empty for none */
  am_str body_file; /* path of a file to stream as the body (never loaded whole); excludes body */
  am_http_sink sink;
  am_str response_file;             /* AM_HTTP_SINK_FILE: destination path */
  am_http_chunk_fn on_chunk;        /* AM_HTTP_SINK_CALLBACK: receives the body, with `user` */
  uint32_t connect_timeout_ms;      /* 0: 10 s */
  uint32_t total_timeout_ms;        /* per attempt; 0: the host's default (see flags) */
  uint32_t low_speed_bytes_per_sec; /* abort when slower than this ... */
  uint32_t low_speed_time_ms;       /* ... for this long (both non-zero to apply) */
  uint32_t max_attempts;            /* 0: 4; 1: no retries */
  uint32_t retry_base_delay_ms;     /* 0: 250 ms; doubles per attempt */
  uint32_t retry_max_total_ms;      /* 0: 120 s; no retry starts that would end later */
  bool safe_to_resend_body;         /* may the body be sent again after a failure? */
  bool no_redirects;                /* do not follow 3xx (followed by default, up to 10; see
                                       below) */
  /* Since struct_size 160 (read with AM_HAS_FIELD): AM_HTTP_* flags. A caller built with
   * this field gets the host's bounds where it sets none — http.timeout_seconds in total when
   * total_timeout_ms is 0, and an abort after http.stall_seconds below 1 byte/s when both
   * low_speed fields are 0 — unless it sets AM_HTTP_NO_TIMEOUT. For an older, smaller struct
   * 0 keeps meaning "no limit". */
  uint32_t flags;
  /* Since struct_size 176 (ABI 1.5, read with AM_HAS_FIELD): names of headers that carry
   * secrets beyond the well-known ones (Authorization, Cookie, x-api-key, xi-api-key,
   * x-goog-api-key, api-key, *-token, *-secret, *-api-key). Like those, they never follow a
   * redirect to another origin, and are redacted from the host's logs. */
  const am_str *secret_headers;
  size_t secret_header_count;
} am_http_request;

/* Flags of am_http_request.flags. */
enum {
  AM_HTTP_NO_TIMEOUT = 1u << 0, /* no default total timeout or low-speed limit */
  /* Since ABI 1.5: the URL came from a user (a link typed on the command line), not from
   * configuration. It, and every redirect it leads to, may connect only to public addresses:
   * loopback, private, link-local and unique-local ones are refused (AM_PERMISSION_DENIED,
   * before anything is sent) unless http.allow_private_addresses is true. */
  AM_HTTP_USER_URL = 1u << 1
};

/* Redirects (301, 302, 303, 307, 308) are followed by the host, one hop at a time, at most
 * 10: credential headers (the well-known ones and secret_headers) are sent only to the
 * origin (scheme, host and port) of the URL they came with; after 301/302/303 the request
 * goes on as a GET without body; a 307/308 that would re-send a body to another origin, a
 * redirect from https to http and one to another scheme fail with AM_PERMISSION_DENIED. */

/* The outcome, borrowed by the completion callback for the duration of the call: copy what
 * you keep. */
typedef struct am_http_response {
  uint32_t struct_size;          /* sizeof(am_http_response) of the host */
  am_status status;              /* AM_OK: an HTTP response arrived (any status code) */
  am_str error;                  /* why, when status != AM_OK */
  int32_t http_status;           /* the final response's code, 0 if none */
  const am_http_header *headers; /* the final response's headers */
  size_t header_count;
  am_str body;         /* AM_HTTP_SINK_MEMORY, or any sink for a non-2xx response */
  uint64_t body_bytes; /* body bytes received, whatever the sink */
  uint32_t attempts;   /* attempts made, including the first */
  /* Since struct_size 96 (check with AM_HAS_FIELD): the HTTP version the final response came
   * over, "1.0", "1.1", "2" (negotiated by TLS ALPN where the server offers it) or "3"; empty
   * when no response arrived. */
  am_str http_version;
} am_http_response;

/* [job-strand] Completion: exactly once per send, on the job's executor, also when cancelled
 * (status AM_CANCELLED) or when the request was rejected (AM_INVALID_ARGUMENT naming the
 * field, AM_NOT_FOUND for a missing body_file). */
typedef void (*am_http_done_fn)(void *user, const am_http_response *response);

typedef struct am_http {
  uint32_t struct_size;
  void *service_data; /* private to the host */

  /* [any-thread] Start a request on behalf of `job`. Everything in *request is copied before send
   * returns. Never calls `done` before returning. `user` is passed to on_chunk and done.
   * Returns the operation's id. Any thread. */
  am_op_id (*send)(const struct am_http *http, am_job *job, const am_http_request *request,
                   am_http_done_fn done, void *user);

  /* [any-thread] Cancel a request: it completes with AM_CANCELLED unless it already completed; a
   * finished or unknown id is a no-op. Any thread. */
  void (*cancel)(const struct am_http *http, am_job *job, am_op_id op);
} am_http;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_HTTP_H */
