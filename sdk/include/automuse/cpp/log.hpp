// automuse/cpp/log.hpp — a small logger over the host's "automuse.log/1" service.
#pragma once

#include <automuse/log.h>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/str.hpp>

#include <string_view>

namespace am {

// Logs under the plugin's own logger name. Silently does nothing if the host has no log
// service. Any thread.
class logger {
 public:
  logger() noexcept = default;
  explicit logger(host h) noexcept : host_(h), log_(h.find<am_log>(AM_LOG_SERVICE_ID)) {}

  bool enabled(am_log_level level) const noexcept {
    return log_ && log_->enabled(host_.get(), level);
  }
  void write(am_log_level level, std::string_view message) const noexcept {
    if (log_) log_->write(host_.get(), level, to_am_str(message));
  }
  void trace(std::string_view m) const noexcept { write(AM_LOG_TRACE, m); }
  void debug(std::string_view m) const noexcept { write(AM_LOG_DEBUG, m); }
  void info(std::string_view m) const noexcept { write(AM_LOG_INFO, m); }
  void warn(std::string_view m) const noexcept { write(AM_LOG_WARN, m); }
  void error(std::string_view m) const noexcept { write(AM_LOG_ERROR, m); }

 private:
  host host_;
  const am_log *log_ = nullptr;
};

}  // namespace am
