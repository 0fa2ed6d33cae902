// tests/support/sanitizers.hpp — whether this test binary was built with a sanitizer
// (scripts/sanitize.sh), for the few checks whose measure a sanitizer changes, and the heap
// in use, which means the same with or without one.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <fstream>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AUTOMUSE_SANITIZED_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define AUTOMUSE_SANITIZED_ALLOCATOR 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__)
#define AUTOMUSE_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AUTOMUSE_ADDRESS_SANITIZER 1
#endif
#endif

#ifdef AUTOMUSE_SANITIZED_ALLOCATOR
// The sanitizers' runtime (declared in clang's sanitizer/allocator_interface.h, which GCC
// does not ship): bytes the allocator has handed out and not had back.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace automuse::testing {

#ifdef AUTOMUSE_ADDRESS_SANITIZER
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// Bytes of memory the process uses for its data: its resident set, or under a sanitizer the
// bytes its allocator has handed out and not had back. The sanitizers keep freed blocks in
// quarantine and map shadow memory, so there the resident set grows with everything ever
// allocated and says nothing about how much the code holds at once.
inline size_t memory_in_use() {
#ifdef AUTOMUSE_SANITIZED_ALLOCATOR
  return __sanitizer_get_current_allocated_bytes();
#else
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
#endif
}

}  // namespace automuse::testing
