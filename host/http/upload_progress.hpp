// host/http/upload_progress.hpp — how far an upload is, for the job observer's "upload" bar
// (core/job_observer.hpp): which requests are uploads, where each request's body sits in the
// whole upload, and the speed and time left over the last seconds.
//
// Which requests are uploads:
//  - a body carrying `Content-Range: bytes A-B/TOTAL` whose size is B - A + 1 is bytes A..B of
//    a TOTAL-byte upload sent in pieces (YouTube's resumable chunks, TikTok's FILE_UPLOAD
//    chunks). The pieces of one upload (one job, one URL, one TOTAL) share one meter, so the bar
//    spans the whole file: (A + bytes of this piece sent) / TOTAL;
//  - otherwise a body streamed from a file (body_file: Instagram's resumable upload) is a whole
//    upload of its own: bytes sent / file size.
// Nothing else is: an API call's JSON or form, a status query (`bytes */TOTAL`), a download.
// "Sent" is what curl has taken from the body. A piece sent again after a failure starts at its
// A again: the bar goes back to what the server held when the piece was sent, never below; a
// whole file sent again starts from 0, since the server kept nothing of it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/job_observer.hpp"
#include "http/http_types.hpp"

namespace automuse::http {

// `Content-Range: bytes A-B/TOTAL` -> {A, B, TOTAL}; nullopt for any other form ("bytes */N").
struct ContentRange {
  uint64_t first = 0, last = 0, total = 0;
};
std::optional<ContentRange> parse_content_range(std::string_view value);

// Where a request's body sits in its upload: its first byte and the upload's size. nullopt:
// not an upload (the rule above). `body_size` is the request's body size (a file's, for
// body_file).
struct UploadSpan {
  uint64_t first = 0;
  uint64_t total = 0;
};
std::optional<UploadSpan> upload_span(const Request &request, uint64_t body_size);

// One upload's progress across its requests: the bytes sent, the speed over the last
// kWindow, and when to tell the observer — at most every kInterval, and always when a
// request's body is all sent (a piece's end, the upload's end). Thread-safe.
class UploadMeter {
 public:
  static constexpr Clock::duration kInterval = std::chrono::milliseconds(100);
  static constexpr Clock::duration kWindow = std::chrono::milliseconds(2500);
  // The speed is unknown (and the time left) until the samples span this long.
  static constexpr Clock::duration kMinSpan = std::chrono::milliseconds(250);

  // An attempt starts sending at `position` of the upload: a position behind the last one
  // (a resend) restarts the speed's window there.
  void start(uint64_t position, Clock::time_point now);
  // `position` bytes of `total` are sent; `body_end`: the request's body is all sent. The
  // progress to report (unit "B/s"), or nullopt when it is not time to.
  std::optional<core::StepProgress> sample(uint64_t position, uint64_t total, bool body_end,
                                           Clock::time_point now);

 private:
  void restart_locked(uint64_t position, Clock::time_point now);
  std::mutex mutex_;
  std::deque<std::pair<Clock::time_point, uint64_t>> window_;  // (when, position), oldest first
  std::optional<Clock::time_point> last_report_;
};

// The meters of the pieced uploads in flight, by job, URL and size, so that a piece finds the
// meter of the pieces before it. A meter is dropped once its upload's last byte went, or when
// more than kKept uploads are newer (one abandoned halfway).
class UploadMeters {
 public:
  static constexpr size_t kKept = 32;
  std::shared_ptr<UploadMeter> meter(const void *job, const std::string &url, uint64_t total);
  void finished(const void *job, const std::string &url, uint64_t total);

 private:
  struct Entry {
    const void *job;
    std::string url;
    uint64_t total;
    std::shared_ptr<UploadMeter> meter;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;  // least recently used first
};

}  // namespace automuse::http
