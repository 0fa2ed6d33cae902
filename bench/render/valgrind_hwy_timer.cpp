// A stand-in for libhwy's timer-resolution probe, preloaded only when count_instructions.sh
// runs a program under callgrind. FFmpeg's libjxl loads libhwy, whose load-time probe executes
// RDTSCP, an instruction valgrind 3.19 cannot decode: the program dies before main. The probe
// only calibrates libhwy's own benchmark timers, which nothing here uses.
#include <cstdint>

namespace hwy::platform {
uint64_t TimerResolution() {
  return 1;
}
}  // namespace hwy::platform
