// Integrated loudness with libebur128 (see loudness.h).
#include "loudness.h"

#include <ebur128.h>

#include <cmath>
#include <memory>

namespace automuse::render::detail {

double integrated_lufs(const float *samples, size_t frames) {
  // Mode I keeps only what integrated loudness needs: 400 ms blocks and their gating.
  std::unique_ptr<ebur128_state, void (*)(ebur128_state *)> meter(
      ebur128_init(kAudioChannels, kAudioRate, EBUR128_MODE_I),
      [](ebur128_state *s) { ebur128_destroy(&s); });
  if (!meter) throw CodecError("cannot start the loudness meter (out of memory)");
  if (ebur128_add_frames_float(meter.get(), samples, frames) != EBUR128_SUCCESS)
    throw CodecError("loudness meter: out of memory");
  double lufs = -HUGE_VAL;
  if (ebur128_loudness_global(meter.get(), &lufs) != EBUR128_SUCCESS) return -70.0;
  return std::isfinite(lufs) ? std::max(lufs, -70.0) : -70.0;  // -inf: nothing passed the gate
}

}  // namespace automuse::render::detail
