// tests/plugin_loading/capture_log.hpp — an automuse.log/1 table that records every message, so
// tests can see what a plugin did and in which order.
#pragma once

#include <automuse/log.h>

#include <mutex>
#include <string>
#include <vector>

namespace automuse::testing {

class CaptureLog {
 public:
  const am_log *table() const { return &table_; }
  std::vector<std::string> messages() const {
    std::lock_guard lock(mutex());
    return lines();
  }

 private:
  static std::mutex &mutex() {
    static std::mutex m;
    return m;
  }
  static std::vector<std::string> &lines() {
    static std::vector<std::string> l;
    return l;
  }
  static void write(const am_host *, am_log_level, am_str message) {
    std::lock_guard lock(mutex());
    lines().emplace_back(message.data, message.len);
  }
  static bool enabled(const am_host *, am_log_level) { return true; }
  am_log table_{sizeof(am_log), &CaptureLog::write, &CaptureLog::enabled};

 public:
  static void clear() {
    std::lock_guard lock(mutex());
    lines().clear();
  }
};

}  // namespace automuse::testing
