// host/speech/silence.hpp — finding where a voice speaks: short-time energy in 10 ms frames,
// a threshold relative to the loud frames (so it works for espeak's digital silence and for
// a network voice's noise floor alike), and voiced stretches separated by pauses.
#pragma once

#include <cstddef>
#include <vector>

#include "speech/pcm_audio.hpp"

namespace automuse::speech {

struct SilenceOptions {
  double frame_seconds = 0.010;
  double threshold_db = -38.0;  // below the 95th-percentile frame level counts as silence
  double min_pause = 0.12;      // shorter silences (stop consonants) do not split speech
  double min_voiced = 0.03;     // shorter bursts (clicks) are not speech
};

struct VoicedStretch {
  double start = 0.0;  // seconds
  double end = 0.0;
};

// Per-frame "voiced" flags for the audio.
std::vector<bool> voiced_frames(const PcmAudio &audio, const SilenceOptions &options = {});

// Voiced stretches in time order.
std::vector<VoicedStretch> voiced_stretches(const PcmAudio &audio,
                                            const SilenceOptions &options = {});

}  // namespace automuse::speech
