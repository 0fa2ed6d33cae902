// host/log/logging.hpp — the host's logging on spdlog: console (stderr) plus a rotating file,
// optional JSON lines, per-plugin logger names, and redaction of secrets in every message.
#pragma once

#include <automuse/log.h>
#include <spdlog/logger.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "log/redaction.hpp"

namespace automuse::log {

struct Options {
  spdlog::level::level_enum console_level = spdlog::level::info;
  spdlog::level::level_enum file_level = spdlog::level::debug;
  std::optional<std::filesystem::path> file;     // rotating log file (mode 0600); none when empty
  std::size_t max_file_bytes = 5 * 1024 * 1024;  // rotated at this size, 3 old files kept
  bool json = false;                             // JSON lines instead of text
};

// (Re)configure logging for the process. Safe to call more than once (tests do).
void setup(const Options &options);

// The logger for `name` ("host", "youtube", "http"), created on first use with the sinks
// of the last setup(). Any thread.
std::shared_ptr<spdlog::logger> get(const std::string &name);

// Write `message` through `name`'s logger after redaction (and JSON escaping in JSON mode).
void write(const std::string &name, spdlog::level::level_enum level, std::string_view message);

// While set, the lines the console would print (those its level lets through, formatted) go to
// `writer` instead of stderr: the command line's progress display (app/terminal_progress.hpp)
// prints them above its lines. An empty writer gives the console back. Any thread; the writer
// is called on the logging thread and must not log.
using ConsoleWriter = std::function<void(spdlog::level::level_enum level, std::string_view line)>;
void set_console_writer(ConsoleWriter writer);

// spdlog level for an am_log_level, and back.
spdlog::level::level_enum to_spdlog(am_log_level level);

}  // namespace automuse::log
