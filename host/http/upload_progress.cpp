// host/http/upload_progress.cpp — an upload's progress, speed and time left; see
// upload_progress.hpp.
#include "http/upload_progress.hpp"

#include <strings.h>

#include <algorithm>
#include <charconv>

#include "core/text.hpp"

namespace automuse::http {
namespace {

// Parses the digits of `s` whole into `out`.
bool number(std::string_view s, uint64_t &out) {
  s = core::trim(s);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::optional<ContentRange> parse_content_range(std::string_view value) {
  value = core::trim(value);
  if (value.size() < 6 || strncasecmp(value.data(), "bytes ", 6) != 0) return std::nullopt;
  value.remove_prefix(6);
  const auto dash = value.find('-'), slash = value.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash)
    return std::nullopt;
  ContentRange r;
  if (!number(value.substr(0, dash), r.first) ||
      !number(value.substr(dash + 1, slash - dash - 1), r.last) ||
      !number(value.substr(slash + 1), r.total))
    return std::nullopt;
  if (r.last < r.first || r.last >= r.total) return std::nullopt;
  return r;
}

std::optional<UploadSpan> upload_span(const Request &request, uint64_t body_size) {
  if (body_size == 0) return std::nullopt;
  if (auto header = find_header(request.headers, "content-range")) {
    auto range = parse_content_range(*header);
    if (range && range->last - range->first + 1 == body_size)
      return UploadSpan{range->first, range->total};
    return std::nullopt;  // a status query, or a range that is not this body's
  }
  if (!request.body_file.empty()) return UploadSpan{0, body_size};
  return std::nullopt;
}

void UploadMeter::restart_locked(uint64_t position, Clock::time_point now) {
  window_.clear();
  window_.emplace_back(now, position);
}

void UploadMeter::start(uint64_t position, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  // The next piece where the last one ended keeps the window: the pause between pieces (the
  // server's answer, reading the next piece) is part of the upload's speed.
  if (window_.empty() || position < window_.back().second) restart_locked(position, now);
}

std::optional<core::StepProgress> UploadMeter::sample(uint64_t position, uint64_t total,
                                                      bool body_end, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (total == 0) return std::nullopt;
  position = std::min(position, total);
  const bool end = body_end || position == total;
  if (!end && last_report_ && now - *last_report_ < kInterval) return std::nullopt;
  last_report_ = now;
  if (window_.empty() || position < window_.back().second) restart_locked(position, now);
  window_.emplace_back(now, position);
  // Keep one sample at or before the window's start, so that the span covers kWindow.
  while (window_.size() > 2 && now - window_[1].first >= kWindow) window_.pop_front();

  core::StepProgress p;
  p.unit = "B/s";
  p.fraction = static_cast<double>(position) / static_cast<double>(total);
  const auto span = now - window_.front().first;
  if (span >= kMinSpan) {
    const double seconds = std::chrono::duration<double>(span).count();
    p.per_second = static_cast<double>(position - window_.front().second) / seconds;
    if (position == total)
      p.eta_seconds = 0;
    else if (p.per_second > 0)
      p.eta_seconds = static_cast<double>(total - position) / p.per_second;
  }
  return p;
}

std::shared_ptr<UploadMeter> UploadMeters::meter(const void *job, const std::string &url,
                                                 uint64_t total) {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry &e) {
    return e.job == job && e.total == total && e.url == url;
  });
  Entry entry = it != entries_.end() ? std::move(*it)
                                     : Entry{job, url, total, std::make_shared<UploadMeter>()};
  if (it != entries_.end()) entries_.erase(it);
  entries_.push_back(std::move(entry));
  if (entries_.size() > kKept) entries_.erase(entries_.begin());
  return entries_.back().meter;
}

void UploadMeters::finished(const void *job, const std::string &url, uint64_t total) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_,
                [&](const Entry &e) { return e.job == job && e.total == total && e.url == url; });
}

}  // namespace automuse::http
