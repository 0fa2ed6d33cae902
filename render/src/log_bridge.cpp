// The log bridge (see log_bridge.h): av_log lines assembled per thread, mapped to LogLevel,
// filtered, and handed to the handler outside any lock.
#include "log_bridge.h"

extern "C" {
#include <libavutil/log.h>
}

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

namespace automuse::render {
namespace detail {
namespace {

struct Bridge {
  std::mutex mu;
  std::shared_ptr<const LogHandler> handler =
      std::make_shared<const LogHandler>([](LogLevel, std::string_view m) {
        std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
      });
  std::atomic<int> level{static_cast<int>(LogLevel::kWarning)};
};

thread_local LogCapture *t_capture = nullptr;

// "chunk too big" of "[png @ 0x7f...] chunk too big".
std::string_view without_prefix(std::string_view line) {
  if (line.starts_with('[')) {
    const size_t end = line.find("] ");
    if (end != std::string_view::npos) line.remove_prefix(end + 2);
  }
  return line;
}

Bridge &bridge() {
  static Bridge b;
  return b;
}

LogLevel from_av(int level) {
  if (level <= AV_LOG_ERROR) return LogLevel::kError;
  if (level <= AV_LOG_WARNING) return LogLevel::kWarning;
  if (level <= AV_LOG_INFO) return LogLevel::kInfo;
  return LogLevel::kDebug;
}

int to_av(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return AV_LOG_ERROR;
    case LogLevel::kWarning:
      return AV_LOG_WARNING;
    case LogLevel::kInfo:
      return AV_LOG_INFO;
    case LogLevel::kDebug:
      return AV_LOG_DEBUG;
  }
  return AV_LOG_WARNING;
}

void av_callback(void *avcl, int av_level, const char *fmt, va_list vl) {
  if (av_level > AV_LOG_DEBUG) return;  // trace: far too much
  const LogLevel level = from_av(av_level);
  if (!log_enabled(level)) return;
  // FFmpeg may log one line in several calls: assemble it per thread, deliver it whole.
  thread_local int print_prefix = 1;
  thread_local std::string pending;
  char part[1024];
  av_log_format_line2(avcl, av_level, fmt, vl, part, sizeof part, &print_prefix);
  pending += part;
  if (pending.empty() || pending.back() != '\n') return;
  while (!pending.empty() && (pending.back() == '\n' || pending.back() == '\r')) pending.pop_back();
  std::string line;
  line.swap(pending);
  if (!line.empty()) log_message(level, line);
}

}  // namespace

void install_log_bridge() {
  static std::once_flag once;
  std::call_once(once, [] {
    av_log_set_level(to_av(static_cast<LogLevel>(bridge().level.load())));
    av_log_set_callback(av_callback);
  });
}

bool log_enabled(LogLevel level) {
  return static_cast<int>(level) <= bridge().level.load(std::memory_order_relaxed);
}

void log_message(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  if (t_capture) {
    t_capture->lines_.emplace_back(level, std::string(message));
    return;
  }
  std::shared_ptr<const LogHandler> handler;
  {
    std::lock_guard lock(bridge().mu);
    handler = bridge().handler;
  }
  if (handler && *handler) (*handler)(level, message);
}

LogCapture::LogCapture() : outer_(t_capture) {
  t_capture = this;
}

LogCapture::~LogCapture() {
  if (active_) t_capture = outer_;
}

LogLines LogCapture::release() {
  if (active_) t_capture = outer_;
  active_ = false;
  return std::move(lines_);
}

std::string LogCapture::last_error() const {
  for (LogLevel wanted : {LogLevel::kError, LogLevel::kWarning}) {
    for (auto it = lines_.rbegin(); it != lines_.rend(); ++it)
      if (it->first == wanted) return std::string(without_prefix(it->second));
  }
  return {};
}

void log_lines(const LogLines &lines) {
  for (const auto &[level, line] : lines) log_message(level, line);
}

std::string ffmpeg_detail(const LogLines &lines) {
  constexpr size_t kMost = 3;
  std::vector<std::string_view> said;
  bool more = false;
  for (const auto &[level, line] : lines) {
    if (level != LogLevel::kError && level != LogLevel::kWarning) continue;
    const std::string_view text = without_prefix(line);
    if (std::find(said.begin(), said.end(), text) != said.end()) continue;
    if (said.size() == kMost) {
      more = true;
      break;
    }
    said.push_back(text);
  }
  if (said.empty()) return {};
  std::string detail = " (FFmpeg: ";
  for (size_t i = 0; i < said.size(); ++i) detail += (i ? "; " : "") + std::string(said[i]);
  return detail + (more ? "; …)" : ")");
}

LogLines below_warning(LogLines lines) {
  std::erase_if(lines, [](const auto &l) {
    return l.first == LogLevel::kError || l.first == LogLevel::kWarning;
  });
  return lines;
}

}  // namespace detail

void set_log_handler(LogHandler handler, LogLevel level) {
  auto &b = detail::bridge();
  {
    std::lock_guard lock(b.mu);
    b.handler = std::make_shared<const LogHandler>(std::move(handler));
    b.level = static_cast<int>(level);
  }
  detail::install_log_bridge();
  // FFmpeg skips the callback for messages above its own level: no formatting cost for them.
  av_log_set_level(detail::to_av(level));
}

}  // namespace automuse::render
