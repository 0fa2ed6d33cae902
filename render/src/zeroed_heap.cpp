// The process-wide zeroed-heap switch (see zeroed_heap.h).
#include "zeroed_heap.h"

#include <cstdlib>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace automuse::render::detail {
namespace {

std::mutex g_mu;
int g_scopes = 0;  // guarded by g_mu

void set_perturb(int value) {
#if defined(M_PERTURB)
  mallopt(M_PERTURB, value);
#else
  (void)value;
#endif
}

// What the process asked for at start (glibc reads MALLOC_PERTURB_ then), restored when the
// last scope ends.
int configured_perturb() {
  const char *v = std::getenv("MALLOC_PERTURB_");
  return v ? std::atoi(v) : 0;
}

}  // namespace

ZeroedHeapScope::ZeroedHeapScope(bool active) : active_(active) {
  if (!active_) return;
  std::lock_guard lock(g_mu);
  // Allocated blocks are filled with perturb ^ 0xff: zero.
  if (g_scopes++ == 0) set_perturb(0xff);
}

ZeroedHeapScope::~ZeroedHeapScope() {
  if (!active_) return;
  std::lock_guard lock(g_mu);
  if (--g_scopes == 0) set_perturb(configured_perturb());
}

}  // namespace automuse::render::detail
