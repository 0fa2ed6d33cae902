// host/log/logging.cpp — sinks and the logger registry (redaction: redaction.cpp).
#include "log/logging.hpp"

#include <fcntl.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <mutex>
#include <vector>

namespace automuse::log {
namespace {

struct State {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks;
  bool json = false;
  spdlog::level::level_enum min_level = spdlog::level::info;  // the most verbose sink's
};

State &state() {
  static State s;
  return s;
}

std::mutex g_writer_mutex;
std::shared_ptr<ConsoleWriter> g_writer;  // set_console_writer's; null: stderr

std::shared_ptr<ConsoleWriter> console_writer() {
  std::lock_guard lock(g_writer_mutex);
  return g_writer;
}

// stderr (in colour on a terminal), or the console writer while one is set.
class ConsoleSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ConsoleSink() : stderr_(std::make_shared<spdlog::sinks::stderr_color_sink_mt>()) {}

 protected:
  void sink_it_(const spdlog::details::log_msg &msg) override {
    if (auto writer = console_writer()) {
      spdlog::memory_buf_t line;
      formatter_->format(msg, line);
      std::string_view text(line.data(), line.size());
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
      (*writer)(msg.level, text);
      return;
    }
    stderr_->log(msg);
  }
  void flush_() override { stderr_->flush(); }
  void set_pattern_(const std::string &pattern) override {
    base_sink::set_pattern_(pattern);
    stderr_->set_pattern(pattern);
  }
  void set_formatter_(std::unique_ptr<spdlog::formatter> formatter) override {
    stderr_->set_formatter(formatter->clone());
    base_sink::set_formatter_(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::stderr_color_sink_mt> stderr_;
};

// The message as the inside of a JSON string (the pattern supplies the quotes).
std::string json_escape(std::string_view in) {
  std::string quoted = boost::json::serialize(boost::json::string_view(in));
  return quoted.substr(1, quoted.size() - 2);
}

// The log file is its owner's alone (0600), whatever the umask: created so before spdlog opens
// it, and set so on every open, which covers a file made by an older version and each new file
// rotation starts.
spdlog::file_event_handlers owner_only_files() {
  spdlog::file_event_handlers handlers;
  handlers.before_open = [](const spdlog::filename_t &name) {
    int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  };
  handlers.after_open = [](const spdlog::filename_t &, std::FILE *file) {
    ::fchmod(::fileno(file), 0600);
  };
  return handlers;
}

}  // namespace

void setup(const Options &options) {
  auto &s = state();
  std::lock_guard lock(s.mutex);
  s.sinks.clear();
  auto console = std::make_shared<ConsoleSink>();
  console->set_level(options.console_level);
  s.sinks.push_back(console);
  if (options.file) {
    std::error_code ec;
    std::filesystem::create_directories(options.file->parent_path(), ec);
    try {
      auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          options.file->string(), options.max_file_bytes, 3, false, owner_only_files());
      file->set_level(options.file_level);
      s.sinks.push_back(file);
    } catch (const spdlog::spdlog_ex &e) {
      console->log(spdlog::details::log_msg(
          "host", spdlog::level::warn,
          std::string("cannot open log file ") + options.file->string() + ": " + e.what()));
    }
  }
  s.json = options.json;
  s.min_level =
      options.file ? std::min(options.console_level, options.file_level) : options.console_level;
  const char *pattern =
      options.json
          ? R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","logger":"%n","message":"%v"})"
          : "%Y-%m-%d %H:%M:%S.%e [%n] %^%l%$ %v";
  for (auto &sink : s.sinks) sink->set_pattern(pattern);
  spdlog::drop_all();
}

std::shared_ptr<spdlog::logger> get(const std::string &name) {
  auto &s = state();
  std::lock_guard lock(s.mutex);
  if (auto existing = spdlog::get(name)) return existing;
  if (s.sinks.empty()) {
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] %^%l%$ %v");
    console->set_level(spdlog::level::info);
    s.sinks.push_back(console);
  }
  auto logger = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
  logger->set_level(s.min_level);  // so should_log() answers for the sinks too
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  return logger;
}

void write(const std::string &name, spdlog::level::level_enum level, std::string_view message) {
  auto logger = get(name);
  if (!logger->should_log(level)) return;
  std::string text = redact(message);
  bool json;
  {
    std::lock_guard lock(state().mutex);
    json = state().json;
  }
  if (json) text = json_escape(text);
  logger->log(level, "{}", text);
}

void set_console_writer(ConsoleWriter writer) {
  std::lock_guard lock(g_writer_mutex);
  g_writer = writer ? std::make_shared<ConsoleWriter>(std::move(writer)) : nullptr;
}

spdlog::level::level_enum to_spdlog(am_log_level level) {
  switch (level) {
    case AM_LOG_TRACE:
      return spdlog::level::trace;
    case AM_LOG_DEBUG:
      return spdlog::level::debug;
    case AM_LOG_INFO:
      return spdlog::level::info;
    case AM_LOG_WARN:
      return spdlog::level::warn;
    case AM_LOG_ERROR:
      return spdlog::level::err;
    default:
      return spdlog::level::critical;
  }
}

}  // namespace automuse::log
