// The HTTP service: sends requests through one libcurl multi handle driven by an Asio
// io_context, retries them per their RetryPolicy, and completes each exactly once on the
// executor the caller gave (a job's strand in the host), also when cancelled.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "http/http_types.hpp"

namespace automuse::http {

class HttpEngine;

class HttpClient {
 public:
  // The io_context may be run by any number of threads; the client serialises its own work.
  HttpClient(boost::asio::io_context &io, ClientConfig config = {});
  // Cancels every outstanding request: each still completes once, with AM_CANCELLED, provided
  // the io_context keeps running.
  ~HttpClient();
  HttpClient(const HttpClient &) = delete;
  HttpClient &operator=(const HttpClient &) = delete;

  // Starts a request; never calls `done` before returning. `done` and any streamed chunks run
  // on `completion`, in order when it is a strand. Returns the request's id (never 0). Any
  // thread.
  uint64_t send(Request request, boost::asio::any_io_executor completion, DoneFn done);

  // Cancels request `id`: it completes with AM_CANCELLED unless it already completed; a
  // finished or unknown id is a no-op. Any thread.
  void cancel(uint64_t id);

  // A cancel function that stays safe to call after the client is destroyed (then a no-op):
  // for cancel hooks that may outlive the client, such as a job's. Any thread.
  std::function<void(uint64_t id)> canceller() const;

  // Requests started and not yet completed. Any thread.
  size_t in_flight() const;

  const ClientConfig &config() const;

 private:
  std::shared_ptr<HttpEngine> engine_;
};

}  // namespace automuse::http
