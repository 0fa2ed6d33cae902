// libx264's CPU flags without AVX-512 (see x264_cpu.h).
#include "x264_cpu.h"

#include <cstdint>

extern "C" {
#include <x264.h>
}

namespace automuse::render::detail {

std::optional<std::string> x264_cpu_flags_without_avx512() {
#if defined(__x86_64__) || defined(__i386__)
  // x264_param_default fills `cpu` with libx264's own detection, the flags it would use.
  static const uint32_t detected = [] {
    x264_param_t defaults;
    x264_param_default(&defaults);
    return defaults.cpu;
  }();
  if (detected & X264_CPU_AVX512) return std::to_string(detected & ~X264_CPU_AVX512);
#endif
  return std::nullopt;
}

}  // namespace automuse::render::detail
