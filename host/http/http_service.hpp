// The automuse.http/1 C service table over an HttpClient: converts requests and responses
// between the C ABI and the C++ types, registers each request as an operation of its job (so
// job cancellation reaches it and it completes exactly once, on the job's strand). An upload
// (upload_progress.hpp) reports its progress to the job observer as step "upload".
#pragma once

#include <automuse/http.h>

#include <memory>

#include "http/http_client.hpp"
#include "http/upload_progress.hpp"

namespace automuse::http {

// The bounds of a request that sets none of its own: automuse.json's http.timeout_seconds
// (total, per attempt) and http.stall_seconds (fewer than 1 byte a second for that long).
struct RequestDefaults {
  Millis total{300'000};
  long low_speed_bytes_per_sec = 1;
  Millis low_speed_time{60'000};
};

// Gives `request` the defaults where it sets no limit of its own (a zero total; a zero
// low-speed pair).
void apply_defaults(Request &request, const RequestDefaults &defaults);

class HttpService {
 public:
  // `client` must outlive the service, which must outlive every plugin using the table.
  explicit HttpService(HttpClient &client, RequestDefaults defaults = {});
  HttpService(const HttpService &) = delete;
  HttpService &operator=(const HttpService &) = delete;

  // The table to register under AM_HTTP_SERVICE_ID.
  const am_http *table() const { return &table_; }
  HttpClient &client() { return client_; }

  // Converts a C request (reading only the bytes its struct_size covers) into a Request.
  // Requests of callers built with the flags field get `defaults` unless they set
  // AM_HTTP_NO_TIMEOUT; older, smaller structs keep their meaning (0: no limit).
  static Request from_c(const am_http_request &request, const RequestDefaults &defaults = {});
  const RequestDefaults &defaults() const { return defaults_; }
  // The meters of the uploads in pieces (upload_progress.hpp); requests in flight share them.
  const std::shared_ptr<UploadMeters> &upload_meters() const { return upload_meters_; }

 private:
  HttpClient &client_;
  RequestDefaults defaults_;
  std::shared_ptr<UploadMeters> upload_meters_ = std::make_shared<UploadMeters>();
  am_http table_;
};

}  // namespace automuse::http
