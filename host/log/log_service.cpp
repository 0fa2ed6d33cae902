// host/log/log_service.cpp — the automuse.log/1 table over logging.hpp.
#include "log/log_service.hpp"

#include "core/job_observer.hpp"
#include "core/services.hpp"
#include "log/logging.hpp"

namespace automuse::log {
namespace {

void write_message(const am_host *host, am_log_level level, am_str message) {
  if (!host || !host->host_data) return;
  try {
    const std::string_view text(message.data ? message.data : "", message.data ? message.len : 0);
    write(core::context_of(host).plugin_id, to_spdlog(level), text);
    // A line written from a job's code tells its watchers about the job (core/job_observer.hpp).
    if (const am_job *job = core::current_job())
      if (auto observer = core::job_observer()) observer->logged(*job, level, text);
  } catch (...) {
    // logging must never throw across the ABI
  }
}

bool enabled(const am_host *host, am_log_level level) {
  if (!host || !host->host_data) return false;
  try {
    return get(core::context_of(host).plugin_id)->should_log(to_spdlog(level));
  } catch (...) {
    return false;
  }
}

constexpr am_log kTable = {sizeof(am_log), write_message, enabled};

}  // namespace

const am_log *log_service() {
  return &kTable;
}

}  // namespace automuse::log
