// render/src/zeroed_heap.h — makes the heap hand out zeroed blocks while an encoder is alive.
//
// libx264 (0.164, Debian's) reads memory it allocated and never wrote: with the macroblock
// tree and B-frames (the presets' defaults) its output depends on what the heap held before.
// A fresh process's heap is zero, so one render looks deterministic, but in a process that has
// freed memory (a second render, a host running jobs on several threads) the encoder picks up
// leftovers and the same timeline gives different bytes. Measured: the same raw frames encoded
// by the ffmpeg tool under MALLOC_PERTURB_=1 and =77 differ from the first frame on;
// with mbtree=0 or bframes=0 they do not (but those change the rate and size by 2x at the same
// CRF). glibc's M_PERTURB option with 0xff fills every block it allocates from its bins with
// zeros (and blocks it frees with 0xff), which is what the encoder silently relies on.
//
// The setting is process-wide: it is on while any scope is alive (so concurrent renders share
// it) and restored to MALLOC_PERTURB_'s value after the last. Correct code never reads memory
// it did not write, so turning it on or off never changes what other code does, only costs a
// memset per allocation and free of a block too large for glibc's per-thread cache.
#pragma once

namespace automuse::render::detail {

class ZeroedHeapScope {
 public:
  ZeroedHeapScope();
  ~ZeroedHeapScope();
  ZeroedHeapScope(const ZeroedHeapScope &) = delete;
  ZeroedHeapScope &operator=(const ZeroedHeapScope &) = delete;
};

}  // namespace automuse::render::detail
