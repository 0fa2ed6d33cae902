// automuse/cpp/http.hpp — C++ access to "automuse.http/1": owned request/response types and
// an awaitable send, so plugin code reads
//
//   am::http http(job);
//   am::http_request req("POST", url, json);
//   req.headers = {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
//   am::http_response resp = co_await http.send(std::move(req));
//   if (!resp.ok()) throw am::error(AM_ERROR, "OpenAI said " + std::to_string(resp.http_status));
//
// The coroutine resumes on the job's executor. Transport failures are in resp.status (no
// exception), so callers decide what a 429 or a timeout means for them.

#pragma once

#include <automuse/http.h>
#include <strings.h>

#include <automuse/cpp/async.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/str.hpp>
#include <automuse/cpp/task.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace am {

using http_headers = std::vector<std::pair<std::string, std::string>>;

// Not an aggregate on purpose: g++ 12 miscompiles designated-initializer temporaries of
// aggregates with default member initializers inside coroutines (short strings keep pointing
// at a dead temporary). Build requests with these constructors and assign further fields.
struct http_request {
  http_request() = default;
  http_request(std::string url_) : url(std::move(url_)) {}  // NOLINT: implicit on purpose
  http_request(std::string method_, std::string url_, std::string body_ = {})
      : method(std::move(method_)), url(std::move(url_)), body(std::move(body_)) {}

  std::string method = "GET";
  std::string url{};
  http_headers headers{};
  std::string body{};
  std::string body_file{};  // stream this file as the body instead
  am_http_sink sink = AM_HTTP_SINK_MEMORY;
  std::string response_file{};                       // AM_HTTP_SINK_FILE
  std::function<void(std::string_view)> on_chunk{};  // AM_HTTP_SINK_CALLBACK, on the job's executor
  uint32_t connect_timeout_ms = 0;
  uint32_t total_timeout_ms = 0;
  uint32_t low_speed_bytes_per_sec = 0;
  uint32_t low_speed_time_ms = 0;
  uint32_t max_attempts = 0;
  uint32_t retry_base_delay_ms = 0;
  uint32_t retry_max_total_ms = 0;
  bool safe_to_resend_body = false;
  bool no_redirects = false;
  // AM_HTTP_NO_TIMEOUT: none of the host's default bounds; AM_HTTP_USER_URL: the URL came
  // from a user, public addresses only.
  uint32_t flags = 0;
  std::vector<std::string> secret_headers{};  // more headers that never leave their origin
};

struct http_response {
  am_status status = AM_OK;
  std::string error{};
  int32_t http_status = 0;
  http_headers headers{};
  std::string body{};
  uint64_t body_bytes = 0;
  uint32_t attempts = 0;
  std::string http_version{};  // "1.1", "2" (empty from hosts older than the field)

  bool ok() const noexcept { return status == AM_OK && http_status >= 200 && http_status < 300; }
  // Case-insensitive lookup of the first header called `name`.
  std::optional<std::string> header(std::string_view name) const {
    for (const auto &[k, v] : headers)
      if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
    return std::nullopt;
  }
};

namespace detail {

class http_send_awaiter
    : public request_awaiter<http_send_awaiter, am_http, http_request, http_response> {
 public:
  using request_awaiter::request_awaiter;

 private:
  friend callback_awaiter;
  void start() {
    std::vector<am_http_header> headers;
    headers.reserve(req_.headers.size());
    for (const auto &[k, v] : req_.headers) headers.push_back({to_am_str(k), to_am_str(v)});
    std::vector<am_str> secret_headers;
    for (const auto &name : req_.secret_headers) secret_headers.push_back(to_am_str(name));
    am_http_request c{};
    c.struct_size = sizeof c;
    c.method = to_am_str(req_.method);
    c.url = to_am_str(req_.url);
    c.headers = headers.data();
    c.header_count = headers.size();
    c.body = to_am_str(req_.body);
    c.body_file = to_am_str(req_.body_file);
    c.sink = req_.sink;
    c.response_file = to_am_str(req_.response_file);
    c.on_chunk = req_.on_chunk ? &http_send_awaiter::on_chunk : nullptr;
    c.connect_timeout_ms = req_.connect_timeout_ms;
    c.total_timeout_ms = req_.total_timeout_ms;
    c.low_speed_bytes_per_sec = req_.low_speed_bytes_per_sec;
    c.low_speed_time_ms = req_.low_speed_time_ms;
    c.flags = req_.flags;
    c.max_attempts = req_.max_attempts;
    c.retry_base_delay_ms = req_.retry_base_delay_ms;
    c.retry_max_total_ms = req_.retry_max_total_ms;
    c.safe_to_resend_body = req_.safe_to_resend_body;
    c.no_redirects = req_.no_redirects;
    c.secret_headers = secret_headers.data();
    c.secret_header_count = secret_headers.size();
    svc_->send(svc_, job_, &c, &http_send_awaiter::on_done, this);
  }
  static void on_chunk(void *user, am_str chunk) { from(user).req_.on_chunk(view(chunk)); }
  static void on_done(void *user, const am_http_response *r) {
    http_send_awaiter &self = from(user);
    http_response &out = self.result_;
    out.status = r->status;
    out.error = to_string(r->error);
    out.http_status = r->http_status;
    for (size_t i = 0; i < r->header_count; ++i)
      out.headers.emplace_back(to_string(r->headers[i].name), to_string(r->headers[i].value));
    out.body = to_string(r->body);
    out.body_bytes = r->body_bytes;
    out.attempts = r->attempts;
    if (AM_HAS_FIELD(r, am_http_response, http_version))
      out.http_version = to_string(r->http_version);
    self.resume();
  }
};

}  // namespace detail

// A non-owning handle on the HTTP service for one job. Cheap to copy.
class http {
 public:
  // Throws am::error(AM_UNSUPPORTED) if the host has no automuse.http/1.
  explicit http(const job &j)
      : svc_(&j.host_ref().service<am_http>(AM_HTTP_SERVICE_ID)), job_(j.get()) {}
  http(host h, am_job *j) : svc_(&h.service<am_http>(AM_HTTP_SERVICE_ID)), job_(j) {}

  // `co_await http.send(req)`: resumes on the job's executor with the response. The request
  // is moved into the operation, so temporaries are fine. A task, so several requests can
  // also run at once with am::when_all.
  task<http_response> send(http_request req) const {
    return detail::as_task<detail::http_send_awaiter>(svc_, job_, std::move(req));
  }

  const am_http *service() const noexcept { return svc_; }

 private:
  const am_http *svc_;
  am_job *job_;
};

}  // namespace am
