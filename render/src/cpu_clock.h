// CPU-time clocks for the render's per-stage accounting (RenderResult::cpu): CPU seconds, not
// wall time, because a render shares its cores with libx264's threads and with other work.
#pragma once

#include <ctime>

namespace automuse::render::detail {

inline double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
// All threads of the process.
inline double process_cpu_seconds() {
  return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
}
// The calling thread only.
inline double thread_cpu_seconds() {
  return cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
}

}  // namespace automuse::render::detail
