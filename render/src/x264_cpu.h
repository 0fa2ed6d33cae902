// render/src/x264_cpu.h — the CPU features libx264 is told to use: what it detects, less AVX-512.
//
// libx264 0.164's AVX-512 code reads bytes of its frame buffers that nothing wrote: filling only
// libx264's own allocations with a pattern, one byte of a 693,120-byte frame buffer (270x480,
// veryfast) changed the stream, and only with AVX-512 on. So on an AVX-512 machine its output
// depended on what the heap held before: a new process's zeros, or the leftovers of earlier
// renders and jobs in a long-running host. Its AVX2 code gives the same bytes whatever the heap
// holds. Masking AVX-512 out keeps libx264's own detection of everything else.
//
// The price: libx264 takes about 10% more CPU on AVX-512 machines (median of 8 encodes,
// 1080x1920 veryfast), nothing elsewhere. The alternatives measured were worse: zero-filling
// libx264's allocations (glibc's M_PERTURB around every call into it) cost as much CPU and 19%
// more peak memory, since libx264 allocates far more than it touches; a fixed mmap threshold
// is no guarantee, as glibc serves large requests from freed heap chunks first.
#pragma once

#include <optional>
#include <string>

namespace automuse::render::detail {

// The value of libx264's `asm` option (its CPU flags as a number) without AVX-512, or nothing
// where there is no AVX-512 to mask (other CPUs, other architectures): leave libx264's choice.
std::optional<std::string> x264_cpu_flags_without_avx512();

}  // namespace automuse::render::detail
