// The value types of the HTTP service: a request (with its body source, response sink,
// timeouts and retry policy), a response, and the client-wide configuration.
#pragma once

#include <automuse/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/address_policy.hpp"

namespace automuse::http {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

// Case-insensitive lookup of the first header called `name`.
std::optional<std::string_view> find_header(const Headers &headers, std::string_view name);

// Per-request deadlines. Zero means "no limit" (total) or "curl's default" (connect).
struct Timeouts {
  Millis connect{10'000};
  Millis total{0};
  // Abort when fewer than low_speed_bytes_per_sec arrive for low_speed_time (both > 0).
  long low_speed_bytes_per_sec = 0;
  Millis low_speed_time{0};
};

// How the service retries one request. Waits asked for by the server (429/503 with
// Retry-After, retry-after-ms or x-rate-limit-reset) are honoured as given, capped by
// max_server_wait; other failures back off exponentially with jitter.
struct RetryPolicy {
  int max_attempts = 4;             // total attempts including the first; 1 disables retries
  Millis base_delay{250};           // first backoff; doubles per attempt
  Millis max_delay{30'000};         // cap of one computed backoff
  Millis max_total{120'000};        // no retry is started that would end after this budget
  Millis max_server_wait{120'000};  // a server-requested wait longer than this is not honoured
  // A request whose body was already (partly) sent is re-sent only when this is true: set it
  // for idempotent requests (PUT of a resumable chunk, a query) and never for a publish.
  bool safe_to_resend_body = false;
};

// A cap on the bytes of one response body and the automuse.json setting that raises it, named
// in the error when a body passes it. Zero bytes: no cap.
struct BodyLimit {
  uint64_t bytes = 0;
  std::string setting;  // "limits.response_body_mb"
};

// What a body is, for the download caps of automuse.json's limits.downloads_mb: media bodies
// are capped by their kind whatever their sink; others by ClientConfig::limits.
enum class BodyKind { data, image, video, audio };

// Where the response body goes. Bodies of non-2xx responses always go to memory (capped at
// kErrorBodyCap) so error details are readable and never end up in a file or a stream.
enum class SinkKind { memory, file, callback };

// A chunk of the response body, delivered on the request's completion executor in order.
using ChunkFn = std::function<void(std::string_view chunk)>;

// How much of a request's body curl has taken in this attempt (from 0 again on each attempt,
// back when curl rewinds it) and the body's size: called as an attempt starts and after each
// read, on the HTTP service's thread. Keep it short; it must not block.
using BodySentFn = std::function<void(uint64_t sent, uint64_t size)>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  // Names of further headers (beyond the well-known credential ones, see redact.hpp) that
  // carry secrets: like those, they never follow a redirect to another origin.
  std::vector<std::string> secret_headers;

  // Body: at most one of body (memory) or body_file (streamed from disk, never loaded whole).
  std::string body;
  std::filesystem::path body_file;
  BodySentFn on_body_sent;  // optional: the upload's progress (upload_progress.hpp)

  SinkKind sink = SinkKind::memory;
  std::filesystem::path response_file;  // SinkKind::file: written to "<file>.part", renamed on 2xx
  ChunkFn on_chunk;                     // SinkKind::callback

  Timeouts timeouts;
  RetryPolicy retry;
  bool follow_redirects = true;
  // The URL came from a user (a link typed on the command line), not from configuration: it
  // and every redirect it leads to may connect only where ClientConfig::user_urls allows.
  bool user_url = false;
  // The body's kind picks its cap (ClientConfig::limits) unless body_limit sets one.
  BodyKind body_kind = BodyKind::data;
  std::optional<BodyLimit> body_limit;
};

struct Response {
  am_status status = AM_OK;  // transport outcome; AM_OK means an HTTP response arrived
  std::string error;         // human-readable reason when status != AM_OK
  long http_status = 0;      // the final response's status code (0 if none)
  Headers headers;           // the final response's headers
  std::string body;          // SinkKind::memory, or any sink for a non-2xx response
  uint64_t body_bytes = 0;   // bytes of body received in the final attempt (any sink)
  int attempts = 0;          // attempts made, including the first
  std::string http_version;  // "1.1", "2"
  Millis elapsed{0};         // from send() to completion, including retry waits

  bool ok() const { return status == AM_OK && http_status >= 200 && http_status < 300; }
  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

using DoneFn = std::function<void(Response)>;

// Levels follow automuse/log.h (AM_LOG_DEBUG ...). Messages are already redacted.
using LogFn = std::function<void(int level, std::string_view message)>;

// The caps of response bodies and request bodies (automuse.json's limits section). A body
// is cut off as soon as it passes its cap, whether or not a Content-Length announced it.
struct BodyLimits {
  BodyLimits();  // the defaults of automuse.json, each with its setting's name (body_limits.cpp)
  BodyLimit memory;  // data bodies held in memory
  BodyLimit file;    // data bodies saved to a file
  BodyLimit image, video, audio;
  BodyLimit upload;  // a request's own body
};

struct ClientConfig {
  long max_host_connections = 16;    // per host:port; 0 = unlimited
  long max_total_connections = 256;  // 0 = unlimited
  bool verify_tls = true;
  std::string ca_bundle;  // PEM file; empty = system default
  std::string proxy;      // "http://host:port"; empty = none (curl also ignores env vars then)
  std::string user_agent = "automuse/0.1";
  bool http2 = true;  // negotiate HTTP/2 over TLS where the server offers it
  LogFn log;          // optional; debug-level request/response lines, secrets redacted
  // Where requests marked user_url may connect (http.allow_private_addresses). Not applied
  // through a proxy, which makes the connection itself.
  AddressPolicy user_urls;
  BodyLimits limits;
};

inline constexpr size_t kErrorBodyCap = 64 * 1024;

// What a provider's HTTP error means to the caller, the same for every REST provider: 400/422
// bad input, 401 credentials, 403 permission, 404 not found, 429 rate limited (or quota spent
// when the provider's error code says so), 5xx unavailable, anything else an error.
am_status status_of_http_error(int http_status, bool quota_exhausted);

}  // namespace automuse::http
