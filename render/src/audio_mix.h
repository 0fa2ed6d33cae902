// The soundtrack: voice, background music (looped, ducked under the voice, faded out), kept
// clip audio, mixed and normalised to a loudness target with a peak limiter.
#pragma once

#include <optional>
#include <string>

#include "automuse_render/timeline.h"
#include "media_input.h"

namespace automuse::render::detail {

struct MixResult {
  Pcm pcm;                     // soundtrack_frames() long
  double measured_lufs = -70;  // the mix before normalisation
  double gain_db = 0;
  double final_lufs = -70;  // the soundtrack as written: after the gain and the limiter
};

// Decodes every audio input (errors name the JSON path via TimelineError).
struct AudioInputs {
  std::optional<Pcm> voice;
  std::optional<Pcm> music;
  std::vector<std::optional<Pcm>> clips;  // per scene; set only for clips with audio kept
};
std::optional<TimelineError> load_audio_inputs(const Timeline &t, AudioInputs &out);

// The soundtrack's length in samples: the video's, total_frames() / fps, to the nearest sample.
size_t soundtrack_frames(const Timeline &t);

MixResult mix_audio(const Timeline &t, const AudioInputs &in);

// Whether the two channels are the same sound: the side (L - R) carries at most 1/10000 of the
// mid's (L + R) energy, 40 dB down. Voice-only soundtracks and mono music are.
bool is_near_mono(const Pcm &pcm);
// Whether the mix of these inputs will be: all of them are (the gains, ducking, fades and
// limiter act on both channels alike). Known before mixing, so the encoder can be set up
// while the mix is still being made.
bool is_near_mono(const AudioInputs &in);

}  // namespace automuse::render::detail
