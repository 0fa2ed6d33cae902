// host/speech/aligner.hpp — word timings for audio that came without them (OpenAI speech):
// the known script is synthesised with espeak-ng as a reference, the pauses of the reference
// are matched to the pauses found in the audio by silence detection, the reference's word
// times are stretched over the audio's voiced time between matched pauses, and that first map
// is refined by dynamic time warping of the two recordings' frame features (loudness, hiss,
// zero crossings) within a band around it; a start that lands in a pause moves to the voice.
#pragma once

#include <string_view>
#include <vector>

#include "speech/pcm_audio.hpp"
#include "speech/silence.hpp"
#include "speech/synthesizer.hpp"
#include "speech/word_timing.hpp"

namespace automuse::speech {

struct AlignmentReport {
  size_t reference_pauses = 0;  // pauses espeak-ng made in the reference
  size_t audio_pauses = 0;      // pauses found in the audio
  size_t matched_pauses = 0;    // pairs used as anchors
};

// Maps the reference speech's word timings onto `audio`. Throws SpeechError("audio", ...)
// when the audio holds no speech.
std::vector<WordTiming> align_to_audio(const Speech &reference, const PcmAudio &audio,
                                       AlignmentReport *report = nullptr,
                                       const SilenceOptions &silence = {});

// Synthesises the reference for `script` with `reference_voice` (its rate is what matters
// least: everything is stretched) and aligns it to `audio`.
std::vector<WordTiming> align_script(std::string_view script, const PcmAudio &audio,
                                     const SynthesisOptions &reference_voice,
                                     AlignmentReport *report = nullptr);

}  // namespace automuse::speech
