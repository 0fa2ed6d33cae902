// automuse.http/1 over HttpClient and the host's jobs; see http_service.hpp.
#include "http/http_service.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "core/job.hpp"
#include "core/job_observer.hpp"
#include "http/upload_progress.hpp"

namespace automuse::http {
namespace {

std::string str(am_str s) {
  return s.data ? std::string(s.data, s.len) : std::string();
}
am_str view(std::string_view s) {
  return am_str{s.data(), s.size()};
}

// Links the job's op with the HTTP request once both ids exist: the cancel hook may run
// (from another thread) before send() has the request's id.
struct OpLink {
  std::mutex mutex;
  uint64_t request_id = 0;
  bool cancel_requested = false;
};

// Gives an upload (upload_progress.hpp) a hook that reports its progress to the job observer
// as step "upload", when one is installed. Reported from the job's strand, in order and before
// the request's completion (both are posted there, FIFO), as the render service does: the
// observer may write to the store, and its lock must never hold up the HTTP service's thread,
// where the hook runs.
void report_upload_progress(Request &request, am_job &job,
                            const std::shared_ptr<UploadMeters> &meters) {
  if (!core::job_observer()) return;
  const auto range = find_header(request.headers, "content-range");
  if (request.body_file.empty() && !range) return;  // not an upload: nothing more to look at
  std::error_code ec;
  const uint64_t size = request.body_file.empty()
                            ? request.body.size()
                            : std::filesystem::file_size(request.body_file, ec);
  const auto span = ec ? std::nullopt : upload_span(request, size);
  if (!span) return;
  // The pieces of an upload share its meter; a whole file is an upload of its own.
  auto meter =
      range ? meters->meter(&job, request.url, span->total) : std::make_shared<UploadMeter>();
  request.on_body_sent = [job = job.shared_from_this(), meter, meters, span = *span,
                          pieced = range.has_value(),
                          url = request.url](uint64_t sent, uint64_t body_size) {
    const auto now = Clock::now();
    if (sent == 0) return meter->start(span.first, now);
    auto p = meter->sample(span.first + sent, span.total, sent >= body_size, now);
    if (!p) return;
    if (pieced && span.first + sent >= span.total) meters->finished(job.get(), url, span.total);
    job->post([job, p = *p] {
      if (auto observer = core::job_observer()) observer->progress(*job, "upload", p);
    });
  };
}

am_op_id send(const am_http *http, am_job *job, const am_http_request *c_request,
              am_http_done_fn done, void *user) {
  auto *service = static_cast<HttpService *>(http->service_data);
  HttpClient &client = service->client();
  auto self = job->shared_from_this();
  Request request = HttpService::from_c(*c_request, service->defaults());
  // on_chunk is inside the 1.0 struct; read it through a size-checked copy all the same.
  am_http_request sized{};
  std::memcpy(&sized, c_request, std::min<size_t>(c_request->struct_size, sizeof sized));
  if (request.sink == SinkKind::callback && sized.on_chunk) {
    auto on_chunk = sized.on_chunk;
    request.on_chunk = [on_chunk, user](std::string_view chunk) { on_chunk(user, view(chunk)); };
  }
  report_upload_progress(request, *job, service->upload_meters());
  auto link = std::make_shared<OpLink>();
  // The hook may run after the client is gone (a job cancelled during shutdown): it holds
  // only a weak canceller.
  am_op_id op = job->add_op([cancel = client.canceller(), link](am_op_id) {
    std::lock_guard lock(link->mutex);
    link->cancel_requested = true;
    if (link->request_id) cancel(link->request_id);  // completes with AM_CANCELLED
  });
  uint64_t id =
      client.send(std::move(request), job->executor(), [self, op, done, user](Response r) {
        auto shared = std::make_shared<Response>(std::move(r));
        self->complete_op(op, [shared, done, user] {
          const Response &r = *shared;
          std::vector<am_http_header> headers;
          headers.reserve(r.headers.size());
          for (const auto &h : r.headers) headers.push_back({view(h.name), view(h.value)});
          am_http_response c{};
          c.struct_size = sizeof c;
          c.status = r.status;
          c.error = view(r.error);
          c.http_status = static_cast<int32_t>(r.http_status);
          c.headers = headers.data();
          c.header_count = headers.size();
          c.body = view(r.body);
          c.body_bytes = r.body_bytes;
          c.attempts = static_cast<uint32_t>(r.attempts);
          c.http_version = view(r.http_version);
          done(user, &c);
        });
      });
  std::lock_guard lock(link->mutex);
  link->request_id = id;
  if (link->cancel_requested) client.cancel(id);
  return op;
}

void cancel(const am_http *, am_job *job, am_op_id op) {
  job->cancel_op(op);
}

}  // namespace

void apply_defaults(Request &request, const RequestDefaults &defaults) {
  Timeouts &t = request.timeouts;
  if (t.total.count() == 0) t.total = defaults.total;
  if (t.low_speed_bytes_per_sec == 0 && t.low_speed_time.count() == 0) {
    t.low_speed_bytes_per_sec = defaults.low_speed_bytes_per_sec;
    t.low_speed_time = defaults.low_speed_time;
  }
}

HttpService::HttpService(HttpClient &client, RequestDefaults defaults)
    : client_(client), defaults_(defaults), table_{} {
  table_.struct_size = sizeof(am_http);
  table_.service_data = this;
  table_.send = &automuse::http::send;
  table_.cancel = &automuse::http::cancel;
}

Request HttpService::from_c(const am_http_request &in, const RequestDefaults &defaults) {
  // Read only what the caller's struct has: an older, smaller struct leaves the rest zero.
  am_http_request r{};
  std::memcpy(&r, &in, std::min<size_t>(in.struct_size, sizeof r));
  Request out;
  out.method = r.method.len ? str(r.method) : "GET";
  out.url = str(r.url);
  for (size_t i = 0; i < r.header_count && r.headers; ++i)
    out.headers.push_back({str(r.headers[i].name), str(r.headers[i].value)});
  out.body = str(r.body);
  out.body_file = str(r.body_file);
  out.sink = r.sink == AM_HTTP_SINK_FILE       ? SinkKind::file
             : r.sink == AM_HTTP_SINK_CALLBACK ? SinkKind::callback
                                               : SinkKind::memory;
  out.response_file = str(r.response_file);
  if (r.connect_timeout_ms) out.timeouts.connect = Millis(r.connect_timeout_ms);
  out.timeouts.total = Millis(r.total_timeout_ms);
  out.timeouts.low_speed_bytes_per_sec = r.low_speed_bytes_per_sec;
  out.timeouts.low_speed_time = Millis(r.low_speed_time_ms);
  if (r.max_attempts) out.retry.max_attempts = static_cast<int>(r.max_attempts);
  if (r.retry_base_delay_ms) out.retry.base_delay = Millis(r.retry_base_delay_ms);
  if (r.retry_max_total_ms) out.retry.max_total = Millis(r.retry_max_total_ms);
  out.retry.safe_to_resend_body = r.safe_to_resend_body;
  out.follow_redirects = !r.no_redirects;
  // Bounded by default only for callers that know the flag to ask for no bound: an older
  // struct's 0 keeps meaning "no limit".
  if (AM_HAS_FIELD(&in, am_http_request, flags) && !(r.flags & AM_HTTP_NO_TIMEOUT))
    apply_defaults(out, defaults);
  if (AM_HAS_FIELD(&in, am_http_request, flags)) out.user_url = (r.flags & AM_HTTP_USER_URL) != 0;
  for (size_t i = 0; i < r.secret_header_count && r.secret_headers; ++i)
    out.secret_headers.push_back(str(r.secret_headers[i]));
  return out;
}

}  // namespace automuse::http
