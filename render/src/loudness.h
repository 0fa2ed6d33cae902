// Integrated loudness (EBU R128 / ITU-R BS.1770) of PCM, measured with libebur128.
#pragma once

#include "media_input.h"

namespace automuse::render::detail {

// Integrated loudness in LUFS of interleaved stereo float PCM at 48 kHz; -70 or below means
// silence (nothing passed the gate).
double integrated_lufs(const float *samples, size_t frames);

}  // namespace automuse::render::detail
