// The automuse.http/1 C service table over an HttpClient: converts requests and responses
// between the C ABI and the C++ types, registers each request as an operation of its job (so
// job cancellation reaches it and it completes exactly once, on the job's strand).
#pragma once

#include <automuse/http.h>

#include "http/http_client.hpp"

namespace automuse::http {

class HttpService {
 public:
  // `client` must outlive the service, which must outlive every plugin using the table.
  explicit HttpService(HttpClient &client);
  HttpService(const HttpService &) = delete;
  HttpService &operator=(const HttpService &) = delete;

  // The table to register under AM_HTTP_SERVICE_ID.
  const am_http *table() const { return &table_; }
  HttpClient &client() { return client_; }

  // Converts a C request (reading only the bytes its struct_size covers) into a Request.
  static Request from_c(const am_http_request &request);

 private:
  HttpClient &client_;
  am_http table_;
};

}  // namespace automuse::http
