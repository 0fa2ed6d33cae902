// One request's life across its attempts: the curl easy handle and its options, the body
// source (memory or a file streamed from disk), the response sink (memory, "<file>.part-XXXXXX",
// or chunks posted to the caller's executor) and what one attempt observed.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/http_types.hpp"

namespace automuse::http {

class Transfer {
 public:
  Transfer(uint64_t id, Request request, boost::asio::any_io_executor completion, DoneFn done);
  ~Transfer();
  Transfer(const Transfer &) = delete;
  Transfer &operator=(const Transfer &) = delete;

  // Checks the request before the first attempt: an error message naming the field, if bad.
  std::optional<std::pair<am_status, std::string>> validate() const;

  // Resets the easy handle for a new attempt: options, rewound body, emptied sinks.
  // On failure returns the status and message to complete with.
  std::optional<std::pair<am_status, std::string>> prepare_attempt(const ClientConfig &config);

  // Makes `next` (the redirect's target, see redirect_rules.hpp) the request the next attempt
  // sends. A hop is not a retry: it does not count as an attempt.
  void redirect_to(Request next);
  int redirects() const { return redirects_; }

  // Called when an attempt ends: records the HTTP status, version and body size into the
  // response and closes the sink of this attempt (keeping a .part file for finalize).
  void end_attempt(CURLcode result);

  // Final step: renames or deletes the .part file, then posts `done` with the response.
  void complete(am_status status, std::string error);

  uint64_t id() const { return id_; }
  CURL *easy() const { return easy_; }
  const Request &request() const { return request_; }
  Response &response() { return response_; }
  const Response &response() const { return response_; }
  Clock::time_point started() const { return started_; }
  bool body_sent() const { return body_bytes_sent_ > 0; }
  bool delivered_chunks() const { return chunks_delivered_; }
  std::optional<std::pair<am_status, std::string>> sink_error() const { return sink_error_; }
  // Why this attempt was not allowed to connect where it would have (a user-given URL
  // reaching a private address), if it was not.
  const std::optional<std::string> &refusal() const { return refusal_; }
  // curl's detailed message for the last attempt ("Failed to connect to ... refused").
  std::string curl_error(CURLcode result) const {
    return error_buffer_[0] ? std::string(error_buffer_) : std::string(curl_easy_strerror(result));
  }

  // Streamed chunks in flight to the caller. When more than kMaxBacklog bytes wait, the write
  // callback pauses the transfer; the caller's side calls `relieve` once it caught up and the
  // engine unpauses it (backpressure, so a slow consumer does not grow memory).
  struct ChunkChannel {
    ChunkFn fn;
    std::atomic<size_t> backlog{0};
    std::atomic<bool> paused{false};
    std::function<void()> relieve;  // set by the engine; posts an unpause to its strand
  };
  static constexpr size_t kMaxBacklog = 4 * 1024 * 1024;
  const std::shared_ptr<ChunkChannel> &chunk_channel() const { return channel_; }

 private:
  static size_t on_write(char *data, size_t size, size_t count, void *self);
  static size_t on_header(char *data, size_t size, size_t count, void *self);
  static size_t on_read(char *data, size_t size, size_t count, void *self);
  static int on_seek(void *self, curl_off_t offset, int origin);
  static curl_socket_t on_open_socket(void *self, curlsocktype purpose, curl_sockaddr *address);
  static int on_prereq(void *self, char *primary_ip, char *local_ip, int primary_port,
                       int local_port);
  size_t write(const char *data, size_t size);
  bool current_is_success() const;
  void tell_body_sent() const {
    if (request_.on_body_sent)
      request_.on_body_sent(static_cast<uint64_t>(body_position_),
                            static_cast<uint64_t>(body_size_));
  }
  // The attempt's part file beside the response file: an unpredictable name created
  // exclusively (mkstemp), so nothing planted at a guessable name is followed; each attempt
  // starts a new one and drops the last.
  FILE *open_part();
  void discard_part();

  uint64_t id_;
  Request request_;
  boost::asio::any_io_executor completion_;
  DoneFn done_;
  CURL *easy_;
  curl_slist *header_list_ = nullptr;
  Clock::time_point started_ = Clock::now();
  int redirects_ = 0;
  bool redirect_pending_ = false;  // the next attempt is a hop, not a retry

  // Per attempt.
  FILE *body_file_ = nullptr;
  curl_off_t body_size_ = 0;
  curl_off_t body_offset_ = 0;  // memory body read position
  curl_off_t body_bytes_sent_ = 0;
  curl_off_t body_position_ = 0;  // where curl stands in the body (after its rewinds)
  FILE *sink_file_ = nullptr;
  std::filesystem::path part_path_;  // empty until an attempt opens one
  bool sink_decided_ = false;
  bool sink_is_stream_ = false;  // 2xx body going to the file or callback sink
  bool chunks_delivered_ = false;
  std::optional<std::pair<am_status, std::string>> sink_error_;
  std::optional<std::string> refusal_;
  BodyLimit body_limit_;  // of this attempt's response body (body_limits.hpp)
  const AddressPolicy *address_policy_ = nullptr;  // the engine's; set for user-given URLs
  Response response_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
  bool completed_ = false;

  std::shared_ptr<ChunkChannel> channel_ = std::make_shared<ChunkChannel>();
};

}  // namespace automuse::http
