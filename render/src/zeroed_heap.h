// render/src/zeroed_heap.h — makes the heap hand out zeroed blocks while libx264 may allocate.
//
// libx264 (0.164, Debian's) reads bytes of its frame buffers that nothing wrote: filling only
// libx264's own allocations with a pattern, one byte of a 693,120-byte frame buffer (270x480,
// veryfast) changed the stream, and only with its AVX-512 code on (and the macroblock tree: with
// mbtree=0 the bytes repeat). So on an AVX-512 machine its output depended on what the heap held
// before: a new process's zeros, or the leftovers of other threads and earlier renders — the
// same timeline gave different bytes. glibc's M_PERTURB option with 0xff fills every block it
// hands out with zeros (and blocks it frees with 0xff), which is what libx264 relies on.
//
// The scope is held only around the calls into libx264 (open, send, receive), where it
// allocates its frames, so what the rest of the render allocates is not filled: zero-filling
// every allocation while an encoder lived cost 19% more peak memory. Masking AVX-512 out
// instead cost 10% more CPU in libx264 (median of 8, 1080x1920 veryfast). The setting is
// process-wide: it is on while any scope is alive (concurrent renders share it) and restored to
// MALLOC_PERTURB_'s value after the last. Correct code never reads memory it did not write, so it
// never changes what other code does.
#pragma once

namespace automuse::render::detail {

class ZeroedHeapScope {
 public:
  // An inactive scope does nothing (for the encoders that need none).
  explicit ZeroedHeapScope(bool active = true);
  ~ZeroedHeapScope();
  ZeroedHeapScope(const ZeroedHeapScope &) = delete;
  ZeroedHeapScope &operator=(const ZeroedHeapScope &) = delete;

 private:
  bool active_;
};

}  // namespace automuse::render::detail
